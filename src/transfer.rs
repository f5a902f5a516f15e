//! Modules and shared Memories that cross threads (`postMessage`, `workerData`,
//! `structuredClone`): the native side of `lib/transfer.js`.
//!
//! Node's structured clone only knows V8's own objects, so `lib/transfer.js` replaces each of
//! our Modules and shared Memories in a message by a token holding a small SharedArrayBuffer
//! made here ([`transfer_token`]), which every clone of the message shares. The buffer's V8
//! backing store owns the payload (the core `Module`, an `Arc` of the compiled code, or the
//! shared memory's bytes) through a process-wide registry keyed by the buffer's address: the
//! payload lives exactly as long as a copy of the token's buffer does, in any thread, and
//! [`transfer_revive`] only accepts a buffer whose address is in the registry (a forged token
//! is not revived).

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Mutex;

use jitless_wasm_core::runtime::SharedMemory;
use jitless_wasm_core::Module;

use crate::handle::{get_handle, new_handle, Handle};
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;
use crate::v8_sab::{sab_data, Store};

/// What a token carries.
#[derive(Clone)]
enum Payload {
    Module(Module),
    Memory(SharedMemory),
}

/// The payloads of the live tokens, by the address of their buffer's bytes. (A registry, not
/// a slot on an object: a token comes back as a JS SharedArrayBuffer, which any code can
/// forge, and only a buffer whose address is found here is one of ours.)
static TOKENS: Mutex<Option<HashMap<usize, Payload>>> = Mutex::new(None);

/// The size of a token's buffer (its bytes are never read: only its address matters).
const TOKEN_BYTES: usize = 8;

fn tokens() -> std::sync::MutexGuard<'static, Option<HashMap<usize, Payload>>> {
    TOKENS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The deleter of a token's backing store: drops the payload and frees the bytes.
unsafe extern "C" fn release(data: *mut c_void, _length: usize, _owner: *mut c_void) {
    let payload = tokens().as_mut().and_then(|t| t.remove(&(data as usize)));
    drop(payload); // outside the lock
                   // SAFETY: `data` is the box leaked by `transfer_token`; the deleter runs once.
    drop(unsafe { Box::from_raw(data as *mut [u8; TOKEN_BYTES]) });
}

native_fn!(
    /// `transferToken(handle) → SharedArrayBuffer | undefined`: the token buffer of a Module
    /// or shared Memory handle; `undefined` for any other handle (an unshared Memory, …).
    transfer_token, 1, |cx| {
        let env = cx.env;
        let payload = match get_handle(env, cx.args[0]) {
            Some(Handle::Module(m)) => Payload::Module(m.clone()),
            Some(Handle::Memory(m, _)) => match m.share() {
                Some(shared) => Payload::Memory(shared),
                None => return Ok(env.undefined()),
            },
            _ => return Ok(env.undefined()),
        };
        token(env, payload)
    }
);

/// A new token buffer owning `payload`.
fn token(env: Env, payload: Payload) -> JsResult<Value> {
    let data = Box::into_raw(Box::new([0u8; TOKEN_BYTES])) as *mut c_void;
    tokens().get_or_insert_with(HashMap::new).insert(data as usize, payload);
    // SAFETY: `data` is valid for TOKEN_BYTES until `release` frees it, which the store calls
    // once when no buffer over it is left.
    let store = unsafe { Store::new(data, TOKEN_BYTES, release, std::ptr::null_mut()) };
    store.sab(env)
}

native_fn!(
    /// `transferRevive(sab) → [0, moduleHandle] | [1, Memory] | undefined`: the object a
    /// token buffer stands for, made for this thread (`undefined` if `sab` is no live token).
    transfer_revive, 1, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let Some((data, _)) = sab_data(cx.args[0]) else { return Ok(env.undefined()) };
        // The buffer is alive (it is an argument), so its entry is too.
        let payload = tokens().as_ref().and_then(|t| t.get(&(data as usize)).cloned());
        match payload {
            None => Ok(env.undefined()),
            Some(Payload::Module(m)) => {
                let h = new_handle(env, st, Handle::Module(m), None)?;
                env.array_of(&[env.int32(0)?, h])
            }
            Some(Payload::Memory(shared)) => {
                let mem = shared.memory();
                let obj = crate::memory::to_js(env, st, &mem)?;
                env.array_of(&[env.int32(1)?, obj])
            }
        }
    }
);

native_fn!(
    /// `transferLive() → number`: how many tokens are alive in the process (a received
    /// message needs no search for tokens while there are none).
    transfer_live, 0, |cx| {
        let n = tokens().as_ref().map_or(0, HashMap::len);
        cx.env.double(n as f64)
    }
);

/// Registers the native functions of this file.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("transferToken", transfer_token)?;
    r.add("transferRevive", transfer_revive)?;
    r.add("transferLive", transfer_live)
}
