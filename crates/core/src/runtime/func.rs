//! Function instances: wasm functions of an instance, and host functions.

use std::any::Any;
use std::fmt;
use std::rc::Rc;

use crate::runtime::Error;
use crate::runtime::Instance;
use crate::runtime::Val;
use crate::types::{FuncType, ValType};

/// A function provided by the embedder (for the binding: a JS callable).
pub trait HostFunc {
    /// Calls the function. `args` match the function type's parameters; the implementation
    /// pushes exactly one value of the right type per result onto `results` (which is empty on
    /// entry), or returns an error (a [`crate::HostError`] for a thrown JS value).
    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error>;

    /// Whether the engine may call [`HostFunc::call_numeric`] instead of [`HostFunc::call`]
    /// when the function's parameter and result types are all numeric (`false` by default).
    fn has_numeric_call(&self) -> bool {
        false
    }

    /// Calls the function with the raw bits of its arguments (as for [`NumericFunc`]; one per
    /// parameter), writing the raw bits of its results to `results` (one per result, each of
    /// the result's type); otherwise as [`HostFunc::call`]. The engine calls this only if
    /// [`HostFunc::has_numeric_call`] and every parameter and result type is numeric.
    fn call_numeric(&self, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
        let _ = (args, results);
        unreachable!("call_numeric of a host function without a numeric call")
    }

    /// The embedder's view of this host function, for [`FuncRef::host_data`] (the embedder's
    /// typed slot on its own host functions; `None` by default).
    fn as_any(&self) -> Option<&dyn Any> {
        None
    }
}

/// What a [`FuncRef`] points at.
pub(crate) enum FuncInst {
    /// Function `index` (in the module's function index space, imports first) of `instance`;
    /// `index` is always a *defined* function (imported ones resolve to their own `FuncRef`).
    Wasm { instance: Instance, index: u32, ty: FuncType },
    /// A host function; `numeric`: its types are all numeric and it has a numeric call
    /// ([`HostFunc::has_numeric_call`]).
    Host { ty: FuncType, func: Box<dyn HostFunc>, numeric: bool },
}

/// A reference to a function (a `funcaddr`). Cheap to clone.
///
/// Identity: two `FuncRef`s denote the same function when their [`FuncRef::key`]s are equal
/// (wasm functions are materialised on demand, so `Rc` identity is not enough).
#[derive(Clone)]
pub struct FuncRef(pub(crate) Rc<FuncInst>);

impl crate::value::FuncHandle for FuncRef {
    fn func_type(&self) -> &FuncType {
        self.ty()
    }
}

impl FuncRef {
    /// What the function is (a wasm function of an instance, or a host function).
    #[inline(always)]
    pub(crate) fn inst(&self) -> &FuncInst {
        &self.0
    }

    /// The address of the function's `FuncInst`, as the engine stores references in cells.
    #[inline(always)]
    pub(crate) fn as_bits(&self) -> u64 {
        Rc::as_ptr(&self.0) as *const () as u64
    }

    /// A counted `FuncRef` for the address [`FuncRef::as_bits`] gave.
    ///
    /// # Safety
    /// `bits` must be the address of the `FuncInst` of a live `FuncRef`.
    #[inline(always)]
    pub(crate) unsafe fn clone_from_bits(bits: u64) -> FuncRef {
        let p = bits as *const FuncInst;
        // SAFETY: guaranteed by the caller: `p` came from `Rc::as_ptr` of a live `Rc`, so
        // adding a count and taking ownership of that count is sound.
        unsafe {
            Rc::increment_strong_count(p);
            FuncRef(Rc::from_raw(p))
        }
    }

    /// The embedder's data of a host function: its [`HostFunc`] as a `T`, if it is one (see
    /// [`HostFunc::as_any`]); `None` for wasm functions.
    pub fn host_data<T: 'static>(&self) -> Option<&T> {
        match &*self.0 {
            FuncInst::Host { func, .. } => func.as_any()?.downcast_ref(),
            FuncInst::Wasm { .. } => None,
        }
    }

    /// A host function of type `ty`.
    pub fn host(ty: FuncType, func: impl HostFunc + 'static) -> FuncRef {
        let numeric = func.has_numeric_call() && is_numeric(&ty);
        FuncRef(Rc::new(FuncInst::Host { ty, func: Box::new(func), numeric }))
    }

    /// A reference to defined function `index` of `instance`.
    pub(crate) fn wasm(instance: Instance, index: u32, ty: FuncType) -> FuncRef {
        FuncRef(Rc::new(FuncInst::Wasm { instance, index, ty }))
    }

    /// The function's type.
    pub fn ty(&self) -> &FuncType {
        match &*self.0 {
            FuncInst::Wasm { ty, .. } | FuncInst::Host { ty, .. } => ty,
        }
    }

    /// Whether this is a host function.
    pub fn is_host(&self) -> bool {
        matches!(&*self.0, FuncInst::Host { .. })
    }

    /// A key that is equal for two references exactly when they denote the same function:
    /// (instance address, function index) for wasm functions, (host object address, `u32::MAX`)
    /// for host functions. The binding keys its exported-function cache on it.
    pub fn key(&self) -> (usize, u32) {
        match &*self.0 {
            FuncInst::Wasm { instance, index, .. } => (instance.addr(), *index),
            FuncInst::Host { .. } => (Rc::as_ptr(&self.0) as *const () as usize, u32::MAX),
        }
    }

    /// For a wasm function, its instance and its function index (imports counted first): the
    /// embedder keeps its data about the function in the instance's
    /// [`Instance::embedder`] slot, at that index.
    #[inline]
    pub fn instance_index(&self) -> Option<(&Instance, u32)> {
        match &*self.0 {
            FuncInst::Wasm { instance, index, .. } => Some((instance, *index)),
            FuncInst::Host { .. } => None,
        }
    }

    /// For a wasm function, its function index within its module (imports counted first).
    pub fn wasm_index(&self) -> Option<u32> {
        match &*self.0 {
            FuncInst::Wasm { index, .. } => Some(*index),
            FuncInst::Host { .. } => None,
        }
    }

    /// Calls the function with `args` (the caller converts them to the parameter types first;
    /// a count or type mismatch is a bug of the caller) and appends the results to `results`.
    ///
    /// Wasm calls run on the interpreter's heap stack; exceeding the depth limit is
    /// [`crate::TrapCode::StackOverflow`].
    pub fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        debug_assert_eq!(args.len(), self.ty().params().len());
        crate::engine::call_function(self, args, results)
    }
}

/// A wasm function whose parameter and result types are all numeric (`i32`, `i64`, `f32`,
/// `f64`), callable with the raw bits of its values instead of [`Val`]s: the fast path of
/// an embedder's calls (no vectors, no per-value conversion in the engine).
///
/// Raw bits: an `i32` or `f32` zero-extended to 64 bits (its bits as for [`Val::I32`] and
/// [`Val::F32`]), an `i64` as its two's complement, an `f64` as [`Val::F64`]'s bits.
#[derive(Clone)]
pub struct NumericFunc(FuncRef);

impl NumericFunc {
    /// The function, if it is a wasm function (not a host function) whose parameter and result
    /// types are all numeric.
    pub fn new(func: &FuncRef) -> Option<NumericFunc> {
        let FuncInst::Wasm { ty, .. } = func.inst() else { return None };
        is_numeric(ty).then(|| NumericFunc(func.clone()))
    }

    /// The function.
    pub fn func(&self) -> &FuncRef {
        &self.0
    }

    /// Calls the function with the raw bits of its arguments (one per parameter) and writes
    /// the raw bits of its results to `results` (one per result); otherwise as
    /// [`FuncRef::call`].
    ///
    /// # Panics
    /// If `args` or `results` does not have one element per parameter or result.
    #[inline]
    pub fn call(&self, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
        crate::engine::call_numeric(&self.0, args, results)
    }
}

/// Whether every parameter and result type of `ty` is numeric (`i32`, `i64`, `f32`, `f64`).
fn is_numeric(ty: &FuncType) -> bool {
    let numeric = |t: &ValType| matches!(*t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64);
    ty.params().iter().all(numeric) && ty.results().iter().all(numeric)
}

impl PartialEq for FuncRef {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl fmt::Debug for FuncRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, i) = self.key();
        write!(f, "FuncRef({a:#x}, {i})")
    }
}
