//! Host imports for modules that need them (the CoreMark port of `benchmark/coremark/`):
//! `env.clock_ms() -> f64` (milliseconds since the store was created) and
//! `env.write(ptr: i32, len: i32)` (appends bytes of the exported `memory` to the output).

use std::time::Instant;

use wasmi::{Caller, Error, Extern, Linker};

/// Store data of a kernel: the clock origin and the text the module wrote.
pub struct Host {
    start: Instant,
    /// Everything the module passed to `env.write`, decoded as UTF-8 (lossy).
    pub output: String,
}

impl Host {
    /// A host whose clock starts now, with no output yet.
    pub fn new() -> Self {
        Self { start: Instant::now(), output: String::new() }
    }
}

/// Defines `env.clock_ms` and `env.write` in `linker` (a module that does not import them is
/// unaffected).
pub fn define_imports(linker: &mut Linker<Host>) -> Result<(), String> {
    linker
        .func_wrap("env", "clock_ms", |caller: Caller<'_, Host>| -> f64 {
            caller.data().start.elapsed().as_secs_f64() * 1e3
        })
        .map_err(|e| format!("define env.clock_ms: {e}"))?;
    linker
        .func_wrap("env", "write", |mut caller: Caller<'_, Host>, ptr: i32, len: i32| -> Result<(), Error> {
            let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
                return Err(Error::new("env.write: the module exports no memory"));
            };
            let (start, len) = (ptr as u32 as usize, len as u32 as usize);
            let bytes = memory
                .data(&caller)
                .get(start..start.saturating_add(len))
                .ok_or_else(|| Error::new("env.write: range outside memory"))?;
            let text = String::from_utf8_lossy(bytes).into_owned();
            caller.data_mut().output.push_str(&text);
            Ok(())
        })
        .map_err(|e| format!("define env.write: {e}"))?;
    Ok(())
}
