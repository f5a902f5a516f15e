//! The binding's one FFI layer: every raw Node-API (`napi_sys`) call of the binding is made
//! here, wrapped in a typed helper (other files name no `napi_*` function).
//!
//! The binding talks to Node-API directly (not through napi-rs' macro layer, which costs
//! ~400 ns per call). Every status is checked:
//! * a call that can fail at run time (it runs JS, allocates, or is refused while the env is
//!   stopping) returns a [`JsResult`]: a failure leaves a JS exception pending (or throws a
//!   generic `Error`) and reports that as [`Pending`];
//! * a throw that fails (an exception is pending already, or the env can no longer run JS)
//!   still reports [`Pending`]: the callback returns `NULL` either way;
//! * a call whose only documented failures are invalid arguments (a null env, handle or
//!   out-pointer, which this module never passes) goes through [`expect_ok`]: a failure is a
//!   bug with no JS state to recover, and aborts the process naming the call (the documented
//!   abort).

use std::any::Any;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi_sys as sys;

pub(crate) use sys::napi_async_work as AsyncWork;
pub(crate) use sys::napi_callback_info as CallbackInfo;
pub(crate) use sys::napi_deferred as Deferred;
pub(crate) use sys::napi_env as RawEnv;
pub(crate) use sys::napi_finalize as Finalize;
pub(crate) use sys::napi_handle_scope as HandleScope;
pub(crate) use sys::napi_ref as Ref;
pub(crate) use sys::napi_status as Status;
pub(crate) use sys::napi_typedarray_type as TypedarrayKind;
pub(crate) use sys::napi_value as Value;
pub(crate) use sys::PropertyAttributes;
pub(crate) use sys::TypedarrayType;

/// A JS exception is pending in the environment: the native callback must return `NULL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pending;

/// The result of an operation that may throw a JS exception.
pub(crate) type JsResult<T> = Result<T, Pending>;

/// The type of a native callback.
pub(crate) type Callback = unsafe extern "C" fn(sys::napi_env, CallbackInfo) -> Value;

/// A Node-API environment. Only created from the `env` Node hands to a callback, a finalizer or
/// the module initialiser, and only used on that env's JS thread while the env is alive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Env(sys::napi_env);

/// `typeof`, as Node-API reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(missing_docs)] // the variants are the `typeof` results
pub(crate) enum JsType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    External,
    BigInt,
}

/// A type tag for `napi_type_tag_object`.
pub(crate) type TypeTag = sys::napi_type_tag;

impl Env {
    /// Wraps a raw env.
    ///
    /// # Safety
    /// `env` must be a live env handed to us by Node-API, used only on its JS thread.
    #[inline]
    pub(crate) unsafe fn from_raw(env: sys::napi_env) -> Env {
        Env(env)
    }

    /// The raw env.
    #[inline]
    pub(crate) fn raw(self) -> sys::napi_env {
        self.0
    }

    /// Turns a Node-API status into a result; on failure makes sure an exception is pending.
    #[inline]
    pub(crate) fn check(self, status: sys::napi_status) -> JsResult<()> {
        if status == sys::Status::napi_ok {
            Ok(())
        } else {
            Err(self.fail(status))
        }
    }

    /// The end of a throw: `status` is the throw's. A failed throw means an exception is
    /// pending already or the env can no longer run JS; the callback must return `NULL` in
    /// every case.
    #[inline]
    fn thrown(self, status: sys::napi_status) -> Pending {
        let _already_pending_or_stopping = status != sys::Status::napi_ok;
        Pending
    }

    /// Makes sure an exception is pending after a failed call.
    #[cold]
    fn fail(self, status: sys::napi_status) -> Pending {
        if !self.is_exception_pending() {
            let _ = self.throw_error(&format!("jitless-wasm: Node-API call failed (status {status})"));
        }
        Pending
    }

    /// Whether a JS exception is pending.
    pub(crate) fn is_exception_pending(self) -> bool {
        let mut r = false;
        // SAFETY: live env (see `Env`), out-pointer is a local.
        expect_ok(unsafe { sys::napi_is_exception_pending(self.0, &mut r) }, "napi_is_exception_pending");
        r
    }

    /// Takes the pending exception (clearing it), or `undefined` if none is pending.
    pub(crate) fn take_exception(self) -> Value {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        expect_ok(
            unsafe { sys::napi_get_and_clear_last_exception(self.0, &mut v) },
            "napi_get_and_clear_last_exception",
        );
        if v.is_null() {
            self.undefined()
        } else {
            v
        }
    }

    // ----- throwing -------------------------------------------------------------------------

    /// Throws `value`.
    pub(crate) fn throw(self, value: Value) -> Pending {
        // SAFETY: live env; `value` is a handle of the current scope.
        self.thrown(unsafe { sys::napi_throw(self.0, value) })
    }

    /// Throws a new `TypeError`.
    pub(crate) fn throw_type_error(self, msg: &str) -> Pending {
        let msg = c_string(msg);
        // SAFETY: live env; `msg` is a NUL-terminated string that outlives the call.
        self.thrown(unsafe { sys::napi_throw_type_error(self.0, ptr::null(), msg.as_ptr()) })
    }

    /// Throws a new `RangeError`.
    pub(crate) fn throw_range_error(self, msg: &str) -> Pending {
        let msg = c_string(msg);
        // SAFETY: as in `throw_type_error`.
        self.thrown(unsafe { sys::napi_throw_range_error(self.0, ptr::null(), msg.as_ptr()) })
    }

    /// A new `RangeError` (not thrown).
    pub(crate) fn range_error(self, msg: &str) -> JsResult<Value> {
        let text = self.string(msg)?;
        let mut v = ptr::null_mut();
        // SAFETY: live env, handles of the current scope (a null code), local out-pointer.
        self.check(unsafe { sys::napi_create_range_error(self.0, ptr::null_mut(), text, &mut v) })?;
        Ok(v)
    }

    /// A new `Error` with an empty message (not thrown): its `stack` is the current JS stack.
    pub(crate) fn error_here(self) -> JsResult<Value> {
        let text = self.string("")?;
        let mut v = ptr::null_mut();
        // SAFETY: live env, handles of the current scope (a null code), local out-pointer.
        self.check(unsafe { sys::napi_create_error(self.0, ptr::null_mut(), text, &mut v) })?;
        Ok(v)
    }

    /// Whether `value` is an Error object.
    pub(crate) fn is_error(self, value: Value) -> bool {
        let mut is = false;
        // SAFETY: live env, handle of the current scope, local out-pointer.
        expect_ok(unsafe { sys::napi_is_error(self.0, value, &mut is) }, "napi_is_error");
        is
    }

    /// The global object.
    pub(crate) fn global(self) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, local out-pointer.
        self.check(unsafe { sys::napi_get_global(self.0, &mut v) })?;
        Ok(v)
    }

    /// Throws a new `Error`.
    pub(crate) fn throw_error(self, msg: &str) -> Pending {
        let msg = c_string(msg);
        // SAFETY: as in `throw_type_error`.
        self.thrown(unsafe { sys::napi_throw_error(self.0, ptr::null(), msg.as_ptr()) })
    }

    // ----- primitives -----------------------------------------------------------------------

    /// `undefined`.
    #[inline]
    pub(crate) fn undefined(self) -> Value {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        expect_ok(unsafe { sys::napi_get_undefined(self.0, &mut v) }, "napi_get_undefined");
        v
    }

    /// `null`.
    pub(crate) fn null(self) -> Value {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        expect_ok(unsafe { sys::napi_get_null(self.0, &mut v) }, "napi_get_null");
        v
    }

    /// A boolean.
    pub(crate) fn boolean(self, b: bool) -> Value {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        expect_ok(unsafe { sys::napi_get_boolean(self.0, b, &mut v) }, "napi_get_boolean");
        v
    }

    /// A Number from an `i32`.
    #[inline]
    pub(crate) fn int32(self, x: i32) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_int32(self.0, x, &mut v) })?;
        Ok(v)
    }

    /// A Number from a `u32`.
    pub(crate) fn uint32(self, x: u32) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_uint32(self.0, x, &mut v) })?;
        Ok(v)
    }

    /// A Number.
    #[inline]
    pub(crate) fn double(self, x: f64) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_double(self.0, x, &mut v) })?;
        Ok(v)
    }

    /// A BigInt from an `i64`.
    #[inline]
    pub(crate) fn bigint_i64(self, x: i64) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_bigint_int64(self.0, x, &mut v) })?;
        Ok(v)
    }

    /// A BigInt from a `u64`.
    pub(crate) fn bigint_u64(self, x: u64) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_bigint_uint64(self.0, x, &mut v) })?;
        Ok(v)
    }

    /// A string from UTF-8.
    pub(crate) fn string(self, s: &str) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `s` is valid for `s.len()` bytes; out-pointer is a local.
        self.check(unsafe {
            sys::napi_create_string_utf8(self.0, s.as_ptr() as *const c_char, s.len() as isize, &mut v)
        })?;
        Ok(v)
    }

    /// A string of latin1 code units (one char per byte: the byte form of `lib/wasi` paths).
    pub(crate) fn string_latin1(self, bytes: &[u8]) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `bytes` is valid for `bytes.len()` bytes; out-pointer is a local.
        self.check(unsafe {
            sys::napi_create_string_latin1(self.0, bytes.as_ptr() as *const c_char, bytes.len() as isize, &mut v)
        })?;
        Ok(v)
    }

    /// The length of a String in UTF-16 code units, or `None` if `value` is not a String.
    #[inline]
    pub(crate) fn string_length(self, value: Value) -> Option<usize> {
        let mut len = 0usize;
        // SAFETY: live env, handle of the current scope; a null buffer asks for the length only
        // (a non-String only makes the call return `napi_string_expected`).
        let status = unsafe { sys::napi_get_value_string_utf16(self.0, value, ptr::null_mut(), 0, &mut len) };
        (status == sys::Status::napi_ok).then_some(len)
    }

    /// The first `n` UTF-16 code units of a String (all of them if it is shorter).
    pub(crate) fn string_utf16_prefix(self, value: Value, n: usize) -> JsResult<Vec<u16>> {
        let mut buf = vec![0u16; n + 1];
        let mut len = 0usize;
        // SAFETY: live env; `buf` has room for `n` code units plus the terminating NUL.
        self.check(unsafe { sys::napi_get_value_string_utf16(self.0, value, buf.as_mut_ptr(), buf.len(), &mut len) })?;
        buf.truncate(len);
        Ok(buf)
    }

    /// A String from UTF-16 code units (lone surrogates kept).
    pub(crate) fn string_utf16(self, units: &[u16]) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `units` is valid for `units.len()` code units; out-pointer is a local.
        self.check(unsafe { sys::napi_create_string_utf16(self.0, units.as_ptr(), units.len() as isize, &mut v) })?;
        Ok(v)
    }

    /// `typeof value`.
    #[inline]
    pub(crate) fn type_of(self, value: Value) -> JsType {
        let mut t = 0;
        // SAFETY: live env, handle of the current scope, out-pointer is a local.
        expect_ok(unsafe { sys::napi_typeof(self.0, value, &mut t) }, "napi_typeof");
        match t {
            sys::ValueType::napi_undefined => JsType::Undefined,
            sys::ValueType::napi_null => JsType::Null,
            sys::ValueType::napi_boolean => JsType::Boolean,
            sys::ValueType::napi_number => JsType::Number,
            sys::ValueType::napi_string => JsType::String,
            sys::ValueType::napi_symbol => JsType::Symbol,
            sys::ValueType::napi_function => JsType::Function,
            sys::ValueType::napi_external => JsType::External,
            sys::ValueType::napi_bigint => JsType::BigInt,
            _ => JsType::Object,
        }
    }

    /// The value of a Number as an `i32` (ToInt32), or `None` if `value` is not a Number.
    #[inline]
    pub(crate) fn get_i32(self, value: Value) -> Option<i32> {
        let mut x = 0;
        // SAFETY: live env, handle of the current scope, out-pointer is a local. A non-Number
        // only makes the call return `napi_number_expected`.
        let status = unsafe { sys::napi_get_value_int32(self.0, value, &mut x) };
        (status == sys::Status::napi_ok).then_some(x)
    }

    /// The value of a Number, or `None` if `value` is not a Number.
    #[inline]
    pub(crate) fn get_f64(self, value: Value) -> Option<f64> {
        let mut x = 0.0;
        // SAFETY: as in `get_i32`.
        let status = unsafe { sys::napi_get_value_double(self.0, value, &mut x) };
        (status == sys::Status::napi_ok).then_some(x)
    }

    /// The value of a BigInt modulo 2^64 (ToBigInt64), or `None` if `value` is not a BigInt.
    #[inline]
    pub(crate) fn get_bigint_i64(self, value: Value) -> Option<i64> {
        let mut x = 0;
        let mut lossless = false;
        // SAFETY: as in `get_i32`.
        let status = unsafe { sys::napi_get_value_bigint_int64(self.0, value, &mut x, &mut lossless) };
        (status == sys::Status::napi_ok).then_some(x)
    }

    /// The value of a BigInt when it lies in [0, 2^64): `None` if `value` is not a BigInt,
    /// `Some(None)` if it is one out of that range.
    pub(crate) fn get_bigint_u64(self, value: Value) -> Option<Option<u64>> {
        let mut x = 0;
        let mut lossless = false;
        // SAFETY: as in `get_i32`.
        let status = unsafe { sys::napi_get_value_bigint_uint64(self.0, value, &mut x, &mut lossless) };
        (status == sys::Status::napi_ok).then_some(lossless.then_some(x))
    }

    /// The value of a Boolean, or `None` if `value` is not a Boolean.
    pub(crate) fn get_bool(self, value: Value) -> Option<bool> {
        let mut x = false;
        // SAFETY: as in `get_i32`.
        let status = unsafe { sys::napi_get_value_bool(self.0, value, &mut x) };
        (status == sys::Status::napi_ok).then_some(x)
    }

    /// The contents of a String as UTF-8 (lone surrogates become U+FFFD).
    pub(crate) fn get_string(self, value: Value) -> JsResult<String> {
        let mut len = 0usize;
        // SAFETY: live env; a null buffer asks for the length only.
        self.check(unsafe { sys::napi_get_value_string_utf8(self.0, value, ptr::null_mut(), 0, &mut len) })?;
        let mut buf = vec![0u8; len + 1];
        // SAFETY: `buf` has room for `len` bytes plus the terminating NUL.
        self.check(unsafe {
            sys::napi_get_value_string_utf8(self.0, value, buf.as_mut_ptr() as *mut c_char, buf.len(), &mut len)
        })?;
        buf.truncate(len);
        Ok(String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// ToNumber(value), which may call user code and throw.
    pub(crate) fn to_number(self, value: Value) -> JsResult<f64> {
        if let Some(x) = self.get_f64(value) {
            return Ok(x);
        }
        let mut n = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, out-pointer is a local.
        self.check(unsafe { sys::napi_coerce_to_number(self.0, value, &mut n) })?;
        Ok(self.get_f64(n).unwrap_or(f64::NAN))
    }

    /// ToString(value), which may call user code and throw.
    pub(crate) fn to_string(self, value: Value) -> JsResult<String> {
        let mut s = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, out-pointer is a local.
        self.check(unsafe { sys::napi_coerce_to_string(self.0, value, &mut s) })?;
        self.get_string(s)
    }

    /// ToBoolean(value).
    pub(crate) fn to_boolean(self, value: Value) -> JsResult<bool> {
        if let Some(b) = self.get_bool(value) {
            return Ok(b);
        }
        let mut b = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, out-pointer is a local.
        self.check(unsafe { sys::napi_coerce_to_bool(self.0, value, &mut b) })?;
        Ok(self.get_bool(b).unwrap_or(false))
    }

    // ----- objects --------------------------------------------------------------------------

    /// A new plain object.
    pub(crate) fn object(self) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_object(self.0, &mut v) })?;
        Ok(v)
    }

    /// A new array of `len` holes.
    pub(crate) fn array(self, len: usize) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, out-pointer is a local.
        self.check(unsafe { sys::napi_create_array_with_length(self.0, len, &mut v) })?;
        Ok(v)
    }

    /// `obj[name]` ([[Get]]: may run getters and proxy traps).
    pub(crate) fn get_named(self, obj: Value, name: &CStr) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, NUL-terminated name, local out-pointer.
        self.check(unsafe { sys::napi_get_named_property(self.0, obj, name.as_ptr(), &mut v) })?;
        Ok(v)
    }

    /// `obj[name] = value` ([[Set]]).
    pub(crate) fn set_named(self, obj: Value, name: &CStr, value: Value) -> JsResult<()> {
        // SAFETY: live env, handles of the current scope, NUL-terminated name.
        self.check(unsafe { sys::napi_set_named_property(self.0, obj, name.as_ptr(), value) })
    }

    /// `obj[index]`.
    pub(crate) fn get_element(self, obj: Value, index: u32) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, local out-pointer.
        self.check(unsafe { sys::napi_get_element(self.0, obj, index, &mut v) })?;
        Ok(v)
    }

    /// `obj[index] = value`.
    pub(crate) fn set_element(self, obj: Value, index: u32, value: Value) -> JsResult<()> {
        // SAFETY: live env, handles of the current scope.
        self.check(unsafe { sys::napi_set_element(self.0, obj, index, value) })
    }

    /// The `length` of an array.
    pub(crate) fn array_length(self, arr: Value) -> JsResult<u32> {
        let mut n = 0;
        // SAFETY: live env, handle of the current scope, local out-pointer.
        self.check(unsafe { sys::napi_get_array_length(self.0, arr, &mut n) })?;
        Ok(n)
    }

    /// An array holding `values`.
    pub(crate) fn array_of(self, values: &[Value]) -> JsResult<Value> {
        let arr = self.array(values.len())?;
        for (i, &v) in values.iter().enumerate() {
            self.set_element(arr, i as u32, v)?;
        }
        Ok(arr)
    }

    /// Defines a data property `name` with the given attributes.
    pub(crate) fn define_value(
        self,
        obj: Value,
        name: &CStr,
        value: Value,
        attrs: sys::napi_property_attributes,
    ) -> JsResult<()> {
        let desc = sys::napi_property_descriptor {
            utf8name: name.as_ptr(),
            name: ptr::null_mut(),
            method: None,
            getter: None,
            setter: None,
            value,
            attributes: attrs,
            data: ptr::null_mut(),
        };
        // SAFETY: live env, one valid descriptor whose name outlives the call.
        self.check(unsafe { sys::napi_define_properties(self.0, obj, 1, &desc) })
    }

    // ----- functions ------------------------------------------------------------------------

    /// A native function called `name` (UTF-8) running `cb` with `data`.
    pub(crate) fn function(self, name: &str, cb: Callback, data: *mut c_void) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `name` is valid for `name.len()` bytes; `cb` is a valid callback.
        self.check(unsafe {
            sys::napi_create_function(
                self.0,
                name.as_ptr() as *const c_char,
                name.len() as isize,
                Some(cb),
                data,
                &mut v,
            )
        })?;
        Ok(v)
    }

    /// `f.call(this, ...args)`; a thrown exception is left pending.
    pub(crate) fn call(self, this: Value, f: Value, args: &[Value]) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `args` is valid for `args.len()` handles of the current scope.
        self.check(unsafe { sys::napi_call_function(self.0, this, f, args.len(), args.as_ptr(), &mut v) })?;
        Ok(v)
    }

    /// `new ctor(...args)`; a thrown exception is left pending.
    pub(crate) fn construct(self, ctor: Value, args: &[Value]) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `args` is valid for `args.len()` handles of the current scope.
        self.check(unsafe { sys::napi_new_instance(self.0, ctor, args.len(), args.as_ptr(), &mut v) })?;
        Ok(v)
    }

    // ----- references -----------------------------------------------------------------------

    /// A reference to an object, function or symbol; `count` 0 makes it weak.
    pub(crate) fn reference(self, value: Value, count: u32) -> JsResult<Ref> {
        let mut r = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, local out-pointer.
        self.check(unsafe { sys::napi_create_reference(self.0, value, count, &mut r) })?;
        Ok(r)
    }

    /// The referenced value, or `None` if a weak reference's target was collected.
    #[inline]
    pub(crate) fn reference_value(self, r: Ref) -> Option<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env; `r` is a live reference created in this env.
        let status = unsafe { sys::napi_get_reference_value(self.0, r, &mut v) };
        // (A failure, only possible for a bad reference, reads as a collected target.)
        (status == sys::Status::napi_ok && !v.is_null()).then_some(v)
    }

    /// Deletes a reference.
    ///
    /// # Safety
    /// `r` must be a live reference of this env that is not used again.
    pub(crate) unsafe fn delete_reference(self, r: Ref) {
        // SAFETY: guaranteed by the caller.
        expect_ok(unsafe { sys::napi_delete_reference(self.0, r) }, "napi_delete_reference");
    }

    // ----- externals, wrapping, tags --------------------------------------------------------

    /// An External pointing at `data`, without a finalizer (the caller frees `data`, after the
    /// External was collected: see `reclaim::attach`).
    pub(crate) fn external_unowned(self, data: *mut c_void) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: live env, local out-pointer; no finalizer, so Node never touches `data`.
        self.check(unsafe { sys::napi_create_external(self.0, data, None, ptr::null_mut(), &mut v) })?;
        Ok(v)
    }

    /// The data of an External made by [`Env::external_unowned`] over a `T`.
    ///
    /// # Safety
    /// `value` must be an External over a live `T` of this env; the returned
    /// reference must not outlive the External (keep its handle in scope).
    pub(crate) unsafe fn external_data<'a, T>(self, value: Value) -> Option<&'a T> {
        let mut p = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, local out-pointer.
        let status = unsafe { sys::napi_get_value_external(self.0, value, &mut p) };
        // SAFETY: guaranteed by the caller: `p` points at a live `T`.
        (status == sys::Status::napi_ok && !p.is_null()).then(|| unsafe { &*(p as *const T) })
    }

    /// Tags an object with `tag`.
    pub(crate) fn type_tag(self, obj: Value, tag: &TypeTag) -> JsResult<()> {
        // SAFETY: live env, handle of the current scope, `tag` outlives the call.
        self.check(unsafe { sys::napi_type_tag_object(self.0, obj, tag) })
    }

    /// Whether an object carries `tag`.
    pub(crate) fn has_type_tag(self, obj: Value, tag: &TypeTag) -> bool {
        let mut r = false;
        // SAFETY: live env, handle of the current scope, `tag` outlives the call.
        let status = unsafe { sys::napi_check_object_type_tag(self.0, obj, tag, &mut r) };
        status == sys::Status::napi_ok && r
    }

    /// Attaches `data` to `obj` without freeing it, returning the wrap's (weak) reference: the
    /// caller frees `data` after `obj` was collected and deletes the reference then.
    ///
    /// # Safety
    /// `data` must stay valid for as long as `obj` is alive.
    pub(crate) unsafe fn wrap_unowned(self, obj: Value, data: *mut c_void) -> JsResult<Ref> {
        // (Node-API requires a finalizer when it returns the wrap's reference; deleting the
        // reference before the finalizer ran cancels it.)
        unsafe extern "C" fn nothing(_env: sys::napi_env, _data: *mut c_void, _hint: *mut c_void) {}
        let mut r = ptr::null_mut();
        // SAFETY: guaranteed by the caller; live env, handle of the current scope.
        self.check(unsafe { sys::napi_wrap(self.0, obj, data, Some(nothing), ptr::null_mut(), &mut r) })?;
        Ok(r)
    }

    /// Attaches `data` to `obj` with the finalizer `finalize` (called with `data` and `hint`
    /// once `obj` was collected, unless the returned weak reference was deleted first).
    ///
    /// # Safety
    /// `data` must stay valid for as long as `obj` is alive; `finalize` must be sound for
    /// `data` and `hint`.
    pub(crate) unsafe fn wrap_with_finalizer(
        self,
        obj: Value,
        data: *mut c_void,
        finalize: unsafe extern "C" fn(sys::napi_env, *mut c_void, *mut c_void),
        hint: *mut c_void,
    ) -> JsResult<Ref> {
        let mut r = ptr::null_mut();
        // SAFETY: guaranteed by the caller; live env, handle of the current scope.
        self.check(unsafe { sys::napi_wrap(self.0, obj, data, Some(finalize), hint, &mut r) })?;
        Ok(r)
    }

    /// The pointer attached to `obj` by [`Env::wrap_unowned`] or [`Env::wrap_with_finalizer`].
    pub(crate) fn unwrap(self, obj: Value) -> Option<*mut c_void> {
        let mut p = ptr::null_mut();
        // SAFETY: live env, handle of the current scope, local out-pointer.
        let status = unsafe { sys::napi_unwrap(self.0, obj, &mut p) };
        (status == sys::Status::napi_ok && !p.is_null()).then_some(p)
    }

    // ----- buffers --------------------------------------------------------------------------

    /// Runs `f` on the bytes viewed by an AllowSharedBufferSource (ArrayBuffer, TypedArray or
    /// DataView, the views maybe over a SharedArrayBuffer); `None` if `value` is none of these
    /// (Node-API cannot read a bare SharedArrayBuffer: the JS side passes a view of it
    /// instead). A detached buffer gives an empty slice. The slice is only valid until JS runs
    /// again, so it cannot leave `f` (which must not run JS).
    pub(crate) fn with_buffer_source_bytes<R>(self, value: Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let (data, len) = self.buffer_source_data(value)?;
        if data.is_null() || len == 0 {
            return Some(f(&[]));
        }
        // SAFETY: Node-API reported `len` readable bytes at `data`; the slice lives only for
        // the call of `f`, before any JS runs (which could detach or shrink the buffer).
        Some(f(unsafe { std::slice::from_raw_parts(data as *const u8, len) }))
    }

    /// The data pointer and byte length of an AllowSharedBufferSource (see
    /// [`Env::with_buffer_source_bytes`]); `None` if `value` is none, or a call failed.
    fn buffer_source_data(self, value: Value) -> Option<(*mut c_void, usize)> {
        let ok = |status: sys::napi_status| (status == sys::Status::napi_ok).then_some(());
        let mut is = false;
        let mut data: *mut c_void = ptr::null_mut();
        let mut len = 0usize;
        let mut ab = ptr::null_mut();
        let mut offset = 0usize;
        // SAFETY (all calls in this function): live env, handles of the current scope, local
        // out-pointers.
        ok(unsafe { sys::napi_is_arraybuffer(self.0, value, &mut is) })?;
        if is {
            ok(unsafe { sys::napi_get_arraybuffer_info(self.0, value, &mut data, &mut len) })?;
            return Some((data, len));
        }
        ok(unsafe { sys::napi_is_typedarray(self.0, value, &mut is) })?;
        if is {
            let mut ty = 0;
            let mut elements = 0usize;
            ok(unsafe {
                sys::napi_get_typedarray_info(self.0, value, &mut ty, &mut elements, &mut data, &mut ab, &mut offset)
            })?;
            return Some((data, elements * typed_array_element_size(ty)));
        }
        ok(unsafe { sys::napi_is_dataview(self.0, value, &mut is) })?;
        if !is {
            return None;
        }
        ok(unsafe { sys::napi_get_dataview_info(self.0, value, &mut len, &mut data, &mut ab, &mut offset) })?;
        // (A view over a SharedArrayBuffer is an AllowSharedBufferSource too.)
        Some((data, len))
    }

    /// A new ArrayBuffer holding a copy of `bytes`.
    pub(crate) fn arraybuffer_copy(self, bytes: &[u8]) -> JsResult<Value> {
        let mut data: *mut c_void = ptr::null_mut();
        let mut v = ptr::null_mut();
        // SAFETY: live env, local out-pointers.
        self.check(unsafe { sys::napi_create_arraybuffer(self.0, bytes.len(), &mut data, &mut v) })?;
        if !bytes.is_empty() {
            // SAFETY: the new buffer has `bytes.len()` writable bytes at `data`.
            unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), data as *mut u8, bytes.len()) };
        }
        Ok(v)
    }

    /// An ArrayBuffer aliasing `len` bytes at `data`; `finalize(hint)` runs when V8 releases it.
    ///
    /// # Safety
    /// The bytes must stay valid until `finalize` runs, and `finalize` must free `hint`.
    pub(crate) unsafe fn external_arraybuffer(
        self,
        data: *mut u8,
        len: usize,
        finalize: sys::napi_finalize,
        hint: *mut c_void,
    ) -> JsResult<Value> {
        let mut v = ptr::null_mut();
        // SAFETY: guaranteed by the caller.
        self.check(unsafe {
            sys::napi_create_external_arraybuffer(self.0, data as *mut c_void, len, finalize, hint, &mut v)
        })?;
        Ok(v)
    }

    /// Detaches an ArrayBuffer; `false` if it cannot be detached (not an ArrayBuffer, or not
    /// detachable), which leaves it as it was.
    pub(crate) fn detach(self, ab: Value) -> bool {
        // SAFETY: live env, handle of the current scope.
        unsafe { sys::napi_detach_arraybuffer(self.0, ab) == sys::Status::napi_ok }
    }

    /// Whether an ArrayBuffer is detached.
    pub(crate) fn is_detached(self, ab: Value) -> bool {
        let mut r = false;
        // SAFETY: live env, handle of the current scope, local out-pointer.
        expect_ok(unsafe { sys::napi_is_detached_arraybuffer(self.0, ab, &mut r) }, "napi_is_detached_arraybuffer");
        r
    }

    /// `Object.freeze(obj)`.
    pub(crate) fn freeze(self, obj: Value) -> JsResult<()> {
        // SAFETY: live env, handle of the current scope.
        self.check(unsafe { sys::napi_object_freeze(self.0, obj) })
    }

    /// The data pointer of a typed array (at its byte offset).
    #[cfg_attr(jitless_v8_shim, allow(dead_code))] // (used without the V8 shim)
    pub(crate) fn typedarray_data(self, view: Value) -> JsResult<*mut u8> {
        let (mut ty, mut n, mut data, mut ab, mut off) = (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
        // SAFETY: live env, handle of the current scope; local out-pointers.
        self.check(unsafe {
            sys::napi_get_typedarray_info(self.0, view, &mut ty, &mut n, &mut data, &mut ab, &mut off)
        })?;
        Ok(data as *mut u8)
    }

    /// A typed array's element type, element count and the address of its element 0, or `None`
    /// when `view` is not a typed array (no exception is left pending: callers that take other
    /// values report their own error).
    pub(crate) fn typedarray_info(self, view: Value) -> Option<(TypedarrayKind, usize, *mut u8)> {
        let (mut ty, mut n, mut data, mut ab, mut off) = (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
        // SAFETY: live env, handle of the current scope; local out-pointers.
        let status =
            unsafe { sys::napi_get_typedarray_info(self.0, view, &mut ty, &mut n, &mut data, &mut ab, &mut off) };
        (status == sys::Status::napi_ok).then_some((ty, n, data as *mut u8))
    }

    /// A string's latin1 code units followed by a NUL, or `None` when `v` is not a string or
    /// holds a NUL itself (no exception is left pending).
    pub(crate) fn latin1_cstring(self, v: Value) -> Option<Vec<u8>> {
        let mut len = 0usize;
        // SAFETY: live env, handle of the current scope; a null buffer asks for the length.
        let status = unsafe { sys::napi_get_value_string_latin1(self.0, v, ptr::null_mut(), 0, &mut len) };
        if status != sys::Status::napi_ok {
            return None;
        }
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` has room for `len` bytes and the NUL Node-API appends.
        let status = unsafe {
            sys::napi_get_value_string_latin1(self.0, v, buf.as_mut_ptr() as *mut c_char, len + 1, &mut written)
        };
        (status == sys::Status::napi_ok && written == len && !buf[..len].contains(&0)).then_some(buf)
    }

    /// The buffer of a typed array and the address of its element 0.
    pub(crate) fn typedarray_buffer(self, view: Value) -> JsResult<(Value, *mut u8)> {
        let (mut ty, mut n, mut data, mut ab, mut off) = (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
        // SAFETY: live env, handle of the current scope; local out-pointers.
        self.check(unsafe {
            sys::napi_get_typedarray_info(self.0, view, &mut ty, &mut n, &mut data, &mut ab, &mut off)
        })?;
        Ok((ab, data as *mut u8))
    }

    /// Whether `a === b`, or the status of the comparison when it failed (the interrupt probe
    /// reads a failure without a pending exception as "the env is stopping").
    pub(crate) fn strict_equals(self, a: Value, b: Value) -> Result<bool, Status> {
        let mut equal = false;
        // SAFETY: live env, handles of the current scope, local out-pointer.
        let status = unsafe { sys::napi_strict_equals(self.0, a, b, &mut equal) };
        if status == sys::Status::napi_ok {
            Ok(equal)
        } else {
            Err(status)
        }
    }

    // ----- callbacks ------------------------------------------------------------------------

    /// A callback's arguments read into `argv` (`undefined` past the number passed), the
    /// number passed, and the callback's data pointer.
    #[inline(always)]
    pub(crate) fn cb_info(self, info: CallbackInfo, argv: &mut [Value]) -> JsResult<(usize, *mut c_void)> {
        let mut argc = argv.len();
        let mut data = ptr::null_mut();
        // SAFETY: live env and callback info; `argv` has room for `argc` handles.
        self.check(unsafe {
            sys::napi_get_cb_info(self.0, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), &mut data)
        })?;
        Ok((argc, data))
    }

    /// Whether a callback was called with `new`.
    #[inline(always)]
    pub(crate) fn is_construct_call(self, info: CallbackInfo) -> JsResult<bool> {
        let mut new_target = ptr::null_mut();
        // SAFETY: live env and callback info, local out-pointer.
        self.check(unsafe { sys::napi_get_new_target(self.0, info, &mut new_target) })?;
        // (Node gives no new.target for a plain call; Deno gives `undefined`: regression test
        // `deno_plain_call_is_not_a_construct` in __test__/hosts.spec.mjs.)
        Ok(!new_target.is_null() && self.type_of(new_target) != JsType::Undefined)
    }

    // ----- promises and async work ----------------------------------------------------------

    /// A new promise and its resolver.
    pub(crate) fn promise(self) -> JsResult<(Deferred, Value)> {
        let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: live env, local out-pointers.
        self.check(unsafe { sys::napi_create_promise(self.0, &mut deferred, &mut promise) })?;
        Ok((deferred, promise))
    }

    /// Resolves (`ok`) or rejects the promise of `deferred` with `value`.
    ///
    /// # Safety
    /// `deferred` must come from [`Env::promise`] on this env and not be settled yet (it is
    /// consumed, even when the call fails).
    pub(crate) unsafe fn settle(self, deferred: Deferred, ok: bool, value: Value) -> JsResult<()> {
        // SAFETY: guaranteed by the caller; `value` is a handle of the current scope.
        self.check(unsafe {
            if ok {
                sys::napi_resolve_deferred(self.0, deferred, value)
            } else {
                sys::napi_reject_deferred(self.0, deferred, value)
            }
        })
    }

    /// Async work named `name` running `execute(data)` on the thread pool, then
    /// `complete(status, data)` on the JS thread.
    ///
    /// # Safety
    /// `data` must stay valid until `complete` runs (or the work is deleted unqueued).
    pub(crate) unsafe fn create_async_work(
        self,
        name: Value,
        execute: unsafe extern "C" fn(RawEnv, *mut c_void),
        complete: unsafe extern "C" fn(RawEnv, Status, *mut c_void),
        data: *mut c_void,
    ) -> JsResult<AsyncWork> {
        let mut work = ptr::null_mut();
        // SAFETY: live env; guaranteed by the caller.
        self.check(unsafe {
            sys::napi_create_async_work(self.0, ptr::null_mut(), name, Some(execute), Some(complete), data, &mut work)
        })?;
        Ok(work)
    }

    /// Queues async work.
    pub(crate) fn queue_async_work(self, work: AsyncWork) -> JsResult<()> {
        // SAFETY: live env; `work` was created on it.
        self.check(unsafe { sys::napi_queue_async_work(self.0, work) })
    }

    /// Deletes async work (finished, or never queued).
    ///
    /// # Safety
    /// `work` must be work of this env that is not running or queued, deleted once.
    pub(crate) unsafe fn delete_async_work(self, work: AsyncWork) {
        // SAFETY: guaranteed by the caller.
        expect_ok(unsafe { sys::napi_delete_async_work(self.0, work) }, "napi_delete_async_work");
    }

    // ----- the env's lifetime ---------------------------------------------------------------

    /// Runs `hook(arg)` when the env is torn down.
    ///
    /// # Safety
    /// `hook` must be safe to call with `arg` at teardown.
    pub(crate) unsafe fn add_cleanup_hook(
        self,
        hook: unsafe extern "C" fn(*mut c_void),
        arg: *mut c_void,
    ) -> JsResult<()> {
        // SAFETY: live env; guaranteed by the caller.
        self.check(unsafe { sys::napi_add_env_cleanup_hook(self.0, Some(hook), arg) })
    }

    /// Sets the env's instance data, freed by `finalize` at teardown.
    ///
    /// # Safety
    /// `finalize` must free `data`, and nothing else may.
    pub(crate) unsafe fn set_instance_data(self, data: *mut c_void, finalize: Finalize) -> JsResult<()> {
        // SAFETY: live env; guaranteed by the caller.
        self.check(unsafe { sys::napi_set_instance_data(self.0, data, finalize, ptr::null_mut()) })
    }

    /// The env's instance data (null if none was set).
    #[inline]
    pub(crate) fn instance_data(self) -> *mut c_void {
        let mut data = ptr::null_mut();
        // SAFETY: live env, local out-pointer.
        expect_ok(unsafe { sys::napi_get_instance_data(self.0, &mut data) }, "napi_get_instance_data");
        data
    }

    /// Calls `finalize(data)` when `owner` is collected; the returned weak reference to `owner`
    /// cancels that when deleted first.
    ///
    /// # Safety
    /// `data` must stay valid until `finalize` runs or the reference is deleted.
    pub(crate) unsafe fn add_finalizer(self, owner: Value, data: *mut c_void, finalize: Finalize) -> JsResult<Ref> {
        let mut r = ptr::null_mut();
        // SAFETY: live env, handle of the current scope; guaranteed by the caller.
        self.check(unsafe { sys::napi_add_finalizer(self.0, owner, data, finalize, ptr::null_mut(), &mut r) })?;
        Ok(r)
    }

    /// Tells V8 that `delta` bytes of native memory are (or no longer are) kept alive by JS
    /// objects.
    pub(crate) fn adjust_external_memory(self, delta: i64) {
        let mut total = 0i64;
        // SAFETY: live env, local out-pointer.
        expect_ok(
            unsafe { sys::napi_adjust_external_memory(self.0, delta, &mut total) },
            "napi_adjust_external_memory",
        );
    }

    // ----- scopes ---------------------------------------------------------------------------

    /// Opens a handle scope, closed by [`Env::close_scope`].
    #[inline]
    pub(crate) fn open_scope(self) -> HandleScope {
        let mut scope = ptr::null_mut();
        // SAFETY: live env, local out-pointer.
        expect_ok(unsafe { sys::napi_open_handle_scope(self.0, &mut scope) }, "napi_open_handle_scope");
        scope
    }

    /// Closes a handle scope.
    ///
    /// # Safety
    /// `scope` must be the innermost open scope of this env, opened by [`Env::open_scope`].
    #[inline]
    pub(crate) unsafe fn close_scope(self, scope: HandleScope) {
        // SAFETY: guaranteed by the caller.
        expect_ok(unsafe { sys::napi_close_handle_scope(self.0, scope) }, "napi_close_handle_scope");
    }

    /// Runs `f` inside a fresh handle scope (closed even if `f` panics).
    pub(crate) fn scoped<R>(self, f: impl FnOnce() -> R) -> R {
        struct Scope(Env, sys::napi_handle_scope);
        impl Drop for Scope {
            fn drop(&mut self) {
                if !self.1.is_null() {
                    // SAFETY: the scope was opened by `scoped` on this env, and every scope
                    // opened inside it has been closed (or unwound through its own guard).
                    expect_ok(unsafe { sys::napi_close_handle_scope(self.0 .0, self.1) }, "napi_close_handle_scope");
                }
            }
        }
        let mut scope = ptr::null_mut();
        // SAFETY: live env, local out-pointer.
        expect_ok(unsafe { sys::napi_open_handle_scope(self.0, &mut scope) }, "napi_open_handle_scope");
        let _guard = Scope(self, scope);
        f()
    }
}

/// Whether a status Node-API handed to a callback (async work's completion) is success.
pub(crate) fn is_ok(status: Status) -> bool {
    status == sys::Status::napi_ok
}

/// Checks the status of a call whose only documented failures are invalid arguments (see the
/// module documentation): a failure aborts the process, naming the call.
#[inline(always)]
fn expect_ok(status: sys::napi_status, call: &str) {
    if status != sys::Status::napi_ok {
        abort_failed(status, call);
    }
}

/// The documented abort of [`expect_ok`].
#[cold]
#[inline(never)]
fn abort_failed(status: sys::napi_status, call: &str) -> ! {
    eprintln!("jitless-wasm: {call} failed with status {status} (invalid arguments: a bug in the binding); aborting");
    std::process::abort()
}

/// Bytes per element of a typed array type.
fn typed_array_element_size(ty: sys::napi_typedarray_type) -> usize {
    use sys::TypedarrayType as T;
    match ty {
        T::int8_array | T::uint8_array | T::uint8_clamped_array => 1,
        T::int16_array | T::uint16_array => 2,
        T::int32_array | T::uint32_array | T::float32_array => 4,
        _ => 8,
    }
}

/// A NUL-terminated copy of `s` (interior NULs replaced).
pub(crate) fn c_string(s: &str) -> std::ffi::CString {
    std::ffi::CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

/// The env and arguments of one native call (`N` arguments read).
pub(crate) struct CallCx<const N: usize> {
    /// The env.
    pub(crate) env: Env,
    /// The first `N` arguments (`undefined` when fewer were passed).
    pub(crate) args: [Value; N],
}

/// Runs a native callback body: reads `N` arguments, catches Rust panics (rethrown as JS
/// `Error`s), and maps [`Pending`] to the `NULL` return Node-API expects.
///
/// # Safety
/// `env` and `info` must be the arguments Node-API passed to the callback.
pub(crate) unsafe fn native_call<const N: usize>(
    env: sys::napi_env,
    info: CallbackInfo,
    body: impl FnOnce(&CallCx<N>) -> JsResult<Value>,
) -> Value {
    // SAFETY: `env` is the live env of this callback.
    let e = unsafe { Env::from_raw(env) };
    let mut args = [ptr::null_mut(); N];
    let mut argc = N;
    // SAFETY: live env and callback info; `args` has room for `argc` handles.
    let status =
        unsafe { sys::napi_get_cb_info(env, info, &mut argc, args.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) };
    guard(e, || {
        e.check(status)?;
        body(&CallCx { env: e, args })
    })
}

/// Runs `f`, turning a panic into a thrown JS `Error` and [`Pending`] into `NULL`.
pub(crate) fn guard(env: Env, f: impl FnOnce() -> JsResult<Value>) -> Value {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(Pending)) => ptr::null_mut(),
        Err(panic) => {
            throw_panic(env, panic);
            ptr::null_mut()
        }
    }
}

/// Throws a JS `Error` for a caught panic, unless an exception is pending already. (Out of
/// line: [`guard`]'s frame stays on the stack while wasm runs.)
#[cold]
#[inline(never)]
fn throw_panic(env: Env, panic: Box<dyn Any + Send>) {
    if !env.is_exception_pending() {
        env.throw_error(&format!("jitless-wasm internal error: {}", panic_message(&*panic)));
    }
}

/// The message of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "panic"
    }
}

/// Defines a native callback `$name` whose body sees a [`CallCx`] with `$n` arguments.
macro_rules! native_fn {
    ($(#[$m:meta])* $name:ident, $n:literal, |$cx:ident| $body:block) => {
        $(#[$m])*
        pub(crate) unsafe extern "C" fn $name(
            env: napi_sys::napi_env,
            info: napi_sys::napi_callback_info,
        ) -> napi_sys::napi_value {
            // SAFETY: called by Node-API with its own env and callback info.
            unsafe { $crate::raw::native_call::<$n>(env, info, |$cx: &$crate::raw::CallCx<$n>| $body) }
        }
    };
}
pub(crate) use native_fn;
