//! The native side of `jitless-wasm/limits` (`lib/limits.js`): a limited namespace's
//! [`NamespaceLimits`], and the namespace *active* on this thread while one of its operations
//! runs (the JS side brackets `new Module`, `compile`, `new Instance`, `new Memory`,
//! `new Table` … with `limitsEnter`/`limitsExit`), which compiles, instantiates and allocates
//! under its limits. Nothing here runs for the plain namespace beyond reading an empty slot.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jitless_wasm_core::{
    CompileError, CompileOptions, Extern, Instance, LimitsConfig, Memory, Module, NamespaceLimits, Profile, Table,
};

use crate::raw::{native_fn, Env, JsResult, TypedarrayType, Value};

thread_local! {
    /// The limited namespaces whose operations are running, innermost last.
    static ACTIVE: RefCell<Vec<Rc<NamespaceLimits>>> = const { RefCell::new(Vec::new()) };
}

/// The limited namespace whose operation is running on this thread, if any.
pub(crate) fn active() -> Option<Rc<NamespaceLimits>> {
    ACTIVE.with(|a| a.borrow().last().cloned())
}

/// The compile options of the active namespace (the plain default without one).
pub(crate) fn compile_options() -> CompileOptions {
    active().map(|l| l.compile_options()).unwrap_or_default()
}

/// Compiles `bytes` with `profile` for the namespace whose `options` they are.
pub(crate) fn compile(bytes: &[u8], profile: Profile, options: CompileOptions) -> Result<Module, CompileError> {
    if options == CompileOptions::default() {
        Module::with_profile(bytes, profile)
    } else {
        Module::with_options(bytes, profile, options)
    }
}

/// Instantiates `module` in the active namespace. A module compiled by another namespace
/// (limited or plain) is a TypeError: its code carries that namespace's fuel and NaN handling.
pub(crate) fn instantiate(
    env: Env,
    module: &Module,
    externs: &[Extern],
    prefix: &str,
) -> JsResult<Result<Instance, jitless_wasm_core::Error>> {
    let ns = active();
    if module.options().namespace != ns.as_ref().map_or(0, |l| l.id()) {
        return Err(env.throw_type_error(&format!(
            "{prefix}: Argument 0 must be a WebAssembly.Module compiled by this namespace \
             (a module compiled by another jitless-wasm/limits namespace, or by the plain one, runs under that namespace's limits only)"
        )));
    }
    Ok(match &ns {
        None => Instance::new(module, externs),
        Some(l) => Instance::new_limited(module, externs, l),
    })
}

/// Counts a Memory made from JS against the active namespace's cap (RangeError over it); a
/// shared memory is a TypeError in deterministic mode.
pub(crate) fn adopt_memory(env: Env, mem: &Memory, prefix: &str) -> JsResult<()> {
    let Some(l) = active() else { return Ok(()) };
    if l.config().deterministic && mem.is_shared() {
        return Err(env.throw_type_error(&format!(
            "{prefix}: shared memories are not allowed in deterministic mode (jitless-wasm/limits)"
        )));
    }
    mem.set_limits(&l).map_err(|e| env.throw_range_error(&format!("{prefix}: {e}")))
}

/// Counts a Table made from JS against the active namespace's cap (RangeError over it).
pub(crate) fn adopt_table(env: Env, table: &Table, prefix: &str) -> JsResult<()> {
    let Some(l) = active() else { return Ok(()) };
    table.set_limits(&l).map_err(|e| env.throw_range_error(&format!("{prefix}: {e}")))
}

/// A limited namespace's handle (an External over a leaked `Rc`; namespaces are few and live
/// as long as their thread's modules may).
fn limits_of(env: Env, v: Value) -> JsResult<Rc<NamespaceLimits>> {
    // SAFETY: only `limitsNew` makes these Externals, over a leaked `Rc<NamespaceLimits>`.
    match unsafe { env.external_data::<Rc<NamespaceLimits>>(v) } {
        Some(l) => Ok(l.clone()),
        None => Err(env.throw_type_error("jitless-wasm/limits: not a namespace handle")),
    }
}

/// An optional non-negative integer option (validated by `lib/limits.js`; -1 for absent).
fn opt_u64(env: Env, v: Value) -> Option<u64> {
    let x = env.get_f64(v)?;
    (x >= 0.0).then_some(x as u64)
}

/// The interrupt flag over element 0 of an `Int32Array` (over a SharedArrayBuffer, checked by
/// the JS side). The array is kept alive by a strong reference that is never released (one per
/// namespace), so the watcher thread may read it for as long as the process runs.
fn interrupt_flag(env: Env, array: Value) -> JsResult<jitless_wasm_core::InterruptFlag> {
    let info = env.typedarray_info(array);
    let Some((TypedarrayType::int32_array, 1.., data)) = info.filter(|&(_, _, data)| !data.is_null()) else {
        return Err(env.throw_type_error("jitless-wasm/limits: options.interrupt must be a non-empty Int32Array"));
    };
    env.reference(array, 1)?;
    let addr = data as usize;
    Ok(Arc::new(move || {
        // SAFETY: `addr` is element 0 of a SharedArrayBuffer kept alive above, 4-byte aligned
        // (an Int32Array's elements are); other threads store into it, hence the atomic load.
        unsafe { (*(addr as *const AtomicI32)).load(Ordering::Relaxed) != 0 }
    }))
}

native_fn!(
    /// `limitsNew(fuel, deadline, interrupt, maxMemoryBytes, maxTableElements, maxInstances,
    /// maxStackDepth, deterministic) → handle`: the options as validated by `lib/limits.js`
    /// (`fuel` a decimal string or undefined; numbers -1 for absent; `interrupt` an Int32Array
    /// or undefined).
    limits_new, 8, |cx| {
        let env = cx.env;
        let [fuel, deadline, interrupt, mem, table, instances, depth, deterministic] = cx.args;
        let fuel = match env.type_of(fuel) {
            crate::raw::JsType::String => Some(env.get_string(fuel)?.parse::<u64>().unwrap_or(u64::MAX)),
            _ => None,
        };
        let interrupt = match env.type_of(interrupt) {
            crate::raw::JsType::Object => Some(interrupt_flag(env, interrupt)?),
            _ => None,
        };
        let config = LimitsConfig {
            fuel,
            deadline: env.get_f64(deadline).filter(|d| *d >= 0.0).map(|d| Duration::from_secs_f64(d / 1000.0)),
            interrupt,
            max_memory_bytes: opt_u64(env, mem),
            max_table_elements: opt_u64(env, table),
            max_instances: opt_u64(env, instances),
            max_stack_depth: opt_u64(env, depth).map(|d| d.min(u32::MAX as u64) as u32),
            deterministic: env.get_bool(deterministic).unwrap_or(false),
        };
        let leaked = Box::into_raw(Box::new(NamespaceLimits::new(config)));
        env.external_unowned(leaked.cast())
    }
);

native_fn!(
    /// `limitsEnter(handle)`: makes the namespace active on this thread (until `limitsExit`).
    limits_enter, 1, |cx| {
        let l = limits_of(cx.env, cx.args[0])?;
        ACTIVE.with(|a| a.borrow_mut().push(l));
        Ok(cx.env.undefined())
    }
);

native_fn!(
    /// `limitsExit()`: ends the innermost `limitsEnter`.
    limits_exit, 0, |cx| {
        ACTIVE.with(|a| a.borrow_mut().pop());
        Ok(cx.env.undefined())
    }
);

native_fn!(
    /// `limitsFuel(handle) → string`: the fuel left, in decimal.
    limits_fuel, 1, |cx| {
        let l = limits_of(cx.env, cx.args[0])?;
        cx.env.string(&l.fuel().to_string())
    }
);

native_fn!(
    /// `limitsAddFuel(handle, n)`: adds `n` (a decimal string, validated by the JS side).
    limits_add_fuel, 2, |cx| {
        let env = cx.env;
        let l = limits_of(env, cx.args[0])?;
        let n = env.get_string(cx.args[1])?.parse::<u64>().unwrap_or(u64::MAX);
        l.add_fuel(n);
        Ok(env.undefined())
    }
);

/// Registers the native functions of `jitless-wasm/limits`.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("limitsNew", limits_new)?;
    r.add("limitsEnter", limits_enter)?;
    r.add("limitsExit", limits_exit)?;
    r.add("limitsFuel", limits_fuel)?;
    r.add("limitsAddFuel", limits_add_fuel)
}
