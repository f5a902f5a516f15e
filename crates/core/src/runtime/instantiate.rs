//! Instantiation: linking imports, creating the defined objects, applying segments, start.

use crate::error::Error;
use crate::module::Module;
use crate::runtime::{Extern, Instance};

/// See [`Instance::new`].
pub(crate) fn instantiate(_module: &Module, _imports: &[Extern]) -> Result<Instance, Error> {
    todo!("lead: instantiation")
}
