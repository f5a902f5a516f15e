//! `WebAssembly.Instance` (https://webassembly.github.io/spec/js-api/#instances): the native side
//! of `lib/instance.js`.
//!
//! `lib/instance.js` reads the import object in the spec's order (it is simplest to get Proxy
//! and getter behaviour exactly right in JS) and hands over one value per declared import:
//! the callable of a function import, the native handle of a Memory/Table/Global, or the
//! primitive value of a global import. This file links them, instantiates the core, and returns
//! the export values (Exported Functions and identity-cached wrappers).
//!
//! Every LinkError text is in `src/errors.rs`: the JS side checks each value's kind as it reads
//! it (so a LinkError comes before the next import's Get, as the spec orders) and has the error
//! made here (`importKindError`); `instanceNew` checks the same again on the values it gets.

use std::rc::Rc;

use jitless_wasm_core::{Extern, ExternType, Global, GlobalType, Instance, ValType};

use crate::convert;
use crate::errors::{self, ImportValueError, Kind};
use crate::exported_function;
use crate::handle::{get_handle, module_of, new_handle, Handle};
use crate::host_func;
use crate::js_objects::InstanceData;
use crate::raw::{native_fn, Env, JsResult, JsType, Value};
use crate::state::State;
use crate::{global, memory, table, tag};

native_fn!(
    /// `instanceNew(moduleHandle, values, keep, prefix) → [instanceHandle, name0, value0, …]`
    /// https://webassembly.github.io/spec/js-api/#dom-instance-instance
    instance_new, 4, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [mh, values, keep, prefix] = cx.args;
        let module = module_of(env, mh)?.clone();
        let prefix = env.get_string(prefix).unwrap_or_else(|_| "WebAssembly.Instance()".into());
        // Read the imports (the JS side did steps 1–3 up to the kind checks).
        let mut externs = Vec::with_capacity(module.imports().len());
        let mut func_index = 0u32;
        for (i, imp) in module.imports().iter().enumerate() {
            let link_error = |e: ImportValueError| {
                errors::throw(env, st, Kind::Link, &errors::import_link_message(&prefix, &module, i as u32, e))
            };
            // (JS String Builtins) A builtin function or a string constant: supplied here, the
            // import object is not read for it.
            if let Some(role) = module.compile_time_imports().role(i) {
                let Some(ext) = crate::js_string::import_value(env, st, role, imp, func_index)? else {
                    return Err(link_error(ImportValueError::Kind));
                };
                func_index += matches!(ext, Extern::Func(_)) as u32;
                externs.push(ext);
                continue;
            }
            let v = env.get_element(values, i as u32)?;
            let ext = match &imp.ty {
                // 3.4 func: an Exported Function keeps its funcaddr; another callable becomes a
                // host function.
                ExternType::Func(ty) => {
                    let f = match exported_function::from_js(env, v) {
                        Some(f) => f,
                        None if env.type_of(v) == JsType::Function => {
                            // (A native WASI function of `jitless-wasm/wasi`, #14: its JS
                            // function is the fallback.)
                            match crate::wasi_link(env, st, v, ty, func_index)? {
                                Some(f) => f,
                                None => host_func::new(env, st, v, ty.clone(), func_index, false)?.into_func(),
                            }
                        }
                        // (JSPI) a Suspending object's [[WrappedFunction]] (lib/instance.js).
                        None => match crate::jspi::suspending_import(env, v) {
                            Some(f) => host_func::new(env, st, f, ty.clone(), func_index, true)?.into_func(),
                            None => return Err(link_error(ImportValueError::Kind)),
                        },
                    };
                    func_index += 1;
                    Extern::Func(f)
                }
                // 3.5 global: a Global, or a Number/BigInt/reference as a new immutable global.
                ExternType::Global(ty) => match get_handle(env, v) {
                    // (V8's text for a mutability mismatch; the core checks the rest.)
                    Some(Handle::Global(g)) if g.ty().mutable != ty.mutable => {
                        return Err(link_error(ImportValueError::GlobalMutability))
                    }
                    Some(Handle::Global(g)) => Extern::Global(g.clone()),
                    Some(_) => return Err(link_error(ImportValueError::NotGlobalValue)),
                    None if ty.mutable => return Err(link_error(ImportValueError::MutableGlobalValue)),
                    None => {
                        let t = env.type_of(v);
                        let ok = match ty.content {
                            ValType::I64 => t == JsType::BigInt,
                            ValType::I32 | ValType::F32 | ValType::F64 => t == JsType::Number,
                            ValType::V128 => false,
                            ValType::Ref(_) => true,
                        };
                        if !ok {
                            return Err(link_error(match ty.content {
                                ValType::V128 => ImportValueError::V128GlobalValue,
                                _ => ImportValueError::NotGlobalValue,
                            }));
                        }
                        // 3.5.2.4 A TypeError of ToWebAssemblyValue becomes a LinkError.
                        let value = convert::to_wasm(env, st, v, ty.content).map_err(|_| {
                            env.take_exception();
                            link_error(ImportValueError::GlobalReference)
                        })?;
                        // (`to_wasm` gave a value of the content type.)
                        let g = Global::new(GlobalType { content: ty.content, mutable: false }, value)
                            .map_err(|_| link_error(ImportValueError::GlobalReference))?;
                        Extern::Global(g)
                    }
                },
                // 3.6 memory: must be a Memory.
                ExternType::Memory(_) => match get_handle(env, v) {
                    Some(Handle::Memory(m, _)) => Extern::Memory(m.clone()),
                    _ => return Err(link_error(ImportValueError::Kind)),
                },
                // 3.7 table: must be a Table.
                ExternType::Table(_) => match get_handle(env, v) {
                    Some(Handle::Table(t)) => Extern::Table(t.clone()),
                    _ => return Err(link_error(ImportValueError::Kind)),
                },
                // 3.8 tag: must be a Tag (the core checks its type).
                ExternType::Tag(_) => match get_handle(env, v) {
                    Some(Handle::Tag(t)) => Extern::Tag(t.clone()),
                    _ => return Err(link_error(ImportValueError::Kind)),
                },
            };
            externs.push(ext);
        }
        // Instantiate the core of a WebAssembly module.
        let instance = crate::limits::instantiate(env, &module, &externs, &prefix)?
            .map_err(|e| errors::throw_instantiate(env, st, &prefix, e))?;
        drop(externs);
        // Report every linear memory to V8 as external memory, exported or not, so that GC
        // pressure reflects it (the accounting lives as long as the core memory).
        for mem in instance.memories() {
            memory::MemState::of(st, mem);
        }
        remember_keep(env, st, &instance, keep)?;
        // Create an exports object (the JS side freezes it): [handle, name, value, …].
        let exports = instance.exports();
        let out = env.array(1 + 2 * exports.len())?;
        let ih = new_handle(env, st, Handle::Instance(instance.clone()), None)?;
        env.set_element(out, 0, ih)?;
        for (j, ((name, ext), desc)) in exports.iter().zip(module.exports()).enumerate() {
            let value = match ext {
                Extern::Func(f) => {
                    let index = match desc.index {
                        jitless_wasm_core::module::ExportIndex::Func(i) => Some(i),
                        _ => None,
                    };
                    exported_function::to_js(env, st, f, index)?
                }
                Extern::Memory(m) => memory::to_js(env, st, m)?,
                Extern::Table(t) => {
                    let w = table::to_js(env, st, t)?;
                    retain(env, st, w, keep)?;
                    w
                }
                Extern::Global(g) => {
                    let w = global::to_js(env, st, g)?;
                    retain(env, st, w, keep)?;
                    w
                }
                Extern::Tag(t) => tag::to_js(env, st, t)?,
            };
            env.set_element(out, 1 + 2 * j as u32, env.string(name)?)?;
            env.set_element(out, 2 + 2 * j as u32, value)?;
        }
        // The new memories (and start-function grows) are reported to V8 now.
        st.flush_external();
        Ok(out)
    }
);

native_fn!(
    /// `importKindError(moduleHandle, index, prefix) → LinkError`: the error (not thrown) for
    /// a value of import `index` that is not of its kind (not callable, not a Memory, …).
    /// https://webassembly.github.io/spec/js-api/#read-the-imports
    import_kind_error, 3, |cx| {
        let env = cx.env;
        let [mh, index, prefix] = cx.args;
        let module = module_of(env, mh)?;
        let index = env.get_f64(index).unwrap_or(0.0) as u32;
        let prefix = env.get_string(prefix).unwrap_or_else(|_| "WebAssembly.Instance()".into());
        let message = errors::import_link_message(&prefix, module, index, ImportValueError::Kind);
        errors::create(env, State::get(env), Kind::Link, &message)
    }
);

/// Makes `holder` keep `value` alive (the JS `retain` helper).
fn retain(env: Env, st: &State, holder: Value, value: Value) -> JsResult<()> {
    let f = st.helper(env, |h| h.retain)?;
    let undefined = env.undefined();
    env.call(undefined, f, &[holder, value]).map(|_| ())
}

/// Records (weakly, on the instance) its import values, so that Exported Functions created
/// later for its functions can retain them.
fn remember_keep(env: Env, st: &Rc<State>, instance: &Instance, keep: Value) -> JsResult<()> {
    let r = env.reference(keep, 0)?;
    InstanceData::of(st, instance).set_imports(st, r);
    Ok(())
}

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("instanceNew", instance_new)?;
    r.add("importKindError", import_kind_error)
}
