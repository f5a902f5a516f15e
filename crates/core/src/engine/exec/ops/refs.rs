//! Handlers of typed function references (`ref.as_non_null`; the calls are in `call.rs`).

use super::{get, trap};
use crate::engine::exec::dispatch::dispatch;
use crate::error::TrapCode;

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
    RefAsNonNull [0] { src } => {
        if get::<u64>(fp, src) == 0 {
            return trap(cx, TrapCode::NullDereference);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}
