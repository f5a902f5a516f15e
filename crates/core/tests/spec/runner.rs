//! Runs the directives of one `.wast` script against the core.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use jitless_wasm_core::{Error, Extern, ImportMismatch, ImportRef, Instance, LinkError, Module, TrapCode, Val};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

use crate::report::{catch, Progress};
use crate::{spectest, values};

/// What one directive did.
enum Outcome {
    Pass,
    Fail(String),
    Skip(&'static str),
}

/// Why executing an action did not produce values.
enum ExecError {
    /// The core reported an error (compile, link, trap, host).
    Core(Error),
    /// The script itself could not be carried out (missing export, bad argument, ...).
    Harness(String),
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExecError::Core(e) => write!(f, "{e}"),
            ExecError::Harness(m) => f.write_str(m),
        }
    }
}

const SKIP_COMPONENT: &str = "component model is not supported";
const SKIP_SUSPENSION: &str = "stack switching is not supported";
const SKIP_THREAD: &str = "wast threads are not supported yet";
const SKIP_CUSTOM: &str = "custom-section assertions are not checked";

/// Restrictions of the older suites (wasm-v1/v2 and the proposal forks made before other
/// proposals merged) that WebAssembly 3.0 lifts: an `assert_invalid`/`assert_malformed` with one
/// of these messages whose module compiles is skipped with the reason given (wasm-v3 has the
/// updated assertions, which run).
const LIFTED_RESTRICTIONS: &[(&str, &str)] = &[
    ("multiple tables", "superseded in WebAssembly 2.0: reference types allow several tables"),
    ("multiple memories", "superseded in WebAssembly 3.0: multi-memory allows several memories"),
    ("zero byte expected", "superseded in WebAssembly 3.0: multi-memory reads a memory index (a LEB128) there"),
    (
        "integer representation too long",
        "superseded in WebAssembly 3.0: memory64 reads memory limits and offsets as u64 LEB128s",
    ),
];

/// The state of a script: registered modules and named instances.
struct Runner {
    /// `register`ed instances (and `spectest`): module name → field name → value.
    registry: HashMap<String, HashMap<String, Extern>>,
    /// Instances named with `$id`.
    instances: HashMap<String, Instance>,
    /// Module definitions (`module definition`) named with `$id`; `None` key is the last one.
    definitions: HashMap<Option<String>, Module>,
    /// The most recently instantiated module.
    current: Option<Instance>,
    /// Line of the directive being run.
    line: usize,
    /// Line of the last `module` directive, if it failed (there is no current instance then).
    failed_module_line: Option<usize>,
    /// With `JITLESS_SPEC_DETERMINISTIC=1` or `JITLESS_SPEC_FUEL=1`: a limited namespace
    /// (issue #15) that compiles and instantiates every module (deterministic: NaN results must
    /// then be canonical).
    limits: Option<std::rc::Rc<jitless_wasm_core::NamespaceLimits>>,
}

/// Whether the scripts run with fuel metering (`JITLESS_SPEC_FUEL=1`: a namespace with
/// unbounded fuel, so that only the translation with charge instructions is checked).
pub(crate) fn fuel() -> bool {
    std::env::var_os("JITLESS_SPEC_FUEL").is_some_and(|v| v == "1")
}

/// Whether the scripts run in a deterministic namespace (`JITLESS_SPEC_DETERMINISTIC=1`).
pub(crate) fn deterministic() -> bool {
    std::env::var_os("JITLESS_SPEC_DETERMINISTIC").is_some_and(|v| v == "1")
}

/// Parses and runs a whole script, recording into `progress` as it goes (so a watchdog can
/// report a directive that never finishes). A script that does not parse is one failure.
pub fn run_script(text: &str, progress: &Progress) {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return progress.record(|r| r.fail(0, format!("script does not lex: {e}"))),
    };
    let wast = match parser::parse::<Wast<'_>>(&buf) {
        Ok(w) => w,
        Err(e) => return progress.record(|r| r.fail(0, format!("script does not parse: {e}"))),
    };
    let lines = LineIndex::new(text);
    let mut runner = Runner::new();
    for directive in wast.directives {
        let line = lines.line_of(directive.span().offset());
        runner.line = line;
        progress.line.store(line, Ordering::Relaxed);
        let outcome = catch(|| runner.directive(directive));
        progress.record(|report| match outcome {
            Ok(Outcome::Pass) => report.pass(),
            Ok(Outcome::Fail(reason)) => report.fail(line, reason),
            Ok(Outcome::Skip(reason)) => report.skip(reason),
            Err(panic) => report.fail(line, panic),
        });
    }
}

/// Byte offset → 1-based line number.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex(starts)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

fn name(id: Option<Id<'_>>) -> Option<String> {
    id.map(|id| id.name().to_string())
}

/// Encodes a module of the script to a binary; `Ok(None)` for a component.
fn encode(module: &mut QuoteWat<'_>) -> Result<Option<Vec<u8>>, String> {
    if matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
        return Ok(None);
    }
    module.encode().map(Some).map_err(|e| e.to_string())
}

impl Runner {
    fn new() -> Self {
        let registry = HashMap::from([("spectest".to_string(), spectest::exports())]);
        Runner {
            registry,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            line: 0,
            failed_module_line: None,
            limits: (deterministic() || fuel()).then(|| {
                jitless_wasm_core::NamespaceLimits::new(jitless_wasm_core::LimitsConfig {
                    deterministic: deterministic(),
                    fuel: fuel().then_some(u64::MAX),
                    ..Default::default()
                })
            }),
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Outcome {
        use Outcome::*;
        match directive {
            WastDirective::Module(mut module) => {
                let id = name(module.name());
                self.current = None;
                self.failed_module_line = Some(self.line);
                let bytes = match encode(&mut module) {
                    Ok(Some(b)) => b,
                    Ok(None) => return Skip(SKIP_COMPONENT),
                    Err(e) => return Fail(format!("module does not encode: {e}")),
                };
                match self.compile(&bytes).and_then(|m| self.instantiate(&m)) {
                    Ok(instance) => {
                        self.failed_module_line = None;
                        self.set_current(id, instance);
                        Pass
                    }
                    Err(e) => Fail(format!("module failed: {e}")),
                }
            }
            WastDirective::ModuleDefinition(mut module) => {
                let id = name(module.name());
                let bytes = match encode(&mut module) {
                    Ok(Some(b)) => b,
                    Ok(None) => return Skip(SKIP_COMPONENT),
                    Err(e) => return Fail(format!("module does not encode: {e}")),
                };
                match self.compile(&bytes) {
                    Ok(m) => {
                        self.definitions.insert(None, m.clone());
                        if id.is_some() {
                            self.definitions.insert(id, m);
                        }
                        Pass
                    }
                    Err(e) => Fail(format!("module definition failed: {e}")),
                }
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let Some(m) = self.definitions.get(&name(module)).cloned() else {
                    return Fail("unknown module definition".into());
                };
                match self.instantiate(&m) {
                    Ok(i) => {
                        self.set_current(name(instance), i);
                        Pass
                    }
                    Err(e) => Fail(format!("module instance failed: {e}")),
                }
            }
            WastDirective::Register { name: as_name, module, .. } => match self.instance(module) {
                Ok(i) => {
                    self.registry.insert(as_name.to_string(), i.exports().into_iter().collect());
                    Pass
                }
                Err(e) => Fail(e),
            },
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(_) => Pass,
                Err(e) => Fail(format!("invoke failed: {e}")),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.exec(exec) {
                Ok(actual) => match values::check_results(&results, &actual) {
                    Ok(()) => Pass,
                    Err(e) => Fail(e),
                },
                Err(e) => Fail(format!("expected results, got {e}")),
            },
            WastDirective::AssertTrap { exec, message, .. } => {
                let Some(codes) = values::expected_traps(message) else {
                    return Fail(format!("unknown trap message {message:?}"));
                };
                check_trap(self.exec(exec), &codes, message)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                check_trap(self.invoke(&call), &[TrapCode::StackOverflow], message)
            }
            WastDirective::AssertInvalid { module, message, .. } => self.assert_rejected(module, "invalid", message),
            WastDirective::AssertMalformed { module, message, .. } => {
                self.assert_rejected(module, "malformed", message)
            }
            WastDirective::AssertUnlinkable { module, message, .. } => self.assert_unlinkable(module, message),
            WastDirective::AssertException { exec, .. } => match self.exec(exec) {
                Err(ExecError::Core(Error::Exception(_))) => Pass,
                Err(e) => Fail(format!("expected an uncaught exception, got {e}")),
                Ok(vals) => {
                    let shown: Vec<String> = vals.iter().map(values::show_val).collect();
                    Fail(format!("expected an uncaught exception, got results [{}]", shown.join(", ")))
                }
            },
            WastDirective::AssertSuspension { .. } => Skip(SKIP_SUSPENSION),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => Skip(SKIP_THREAD),
            WastDirective::AssertInvalidCustom { .. } | WastDirective::AssertMalformedCustom { .. } => {
                Skip(SKIP_CUSTOM)
            }
        }
    }

    fn set_current(&mut self, id: Option<String>, instance: Instance) {
        if let Some(id) = id {
            self.instances.insert(id, instance.clone());
        }
        self.current = Some(instance);
    }

    fn compile(&self, bytes: &[u8]) -> Result<Module, Error> {
        match &self.limits {
            Some(l) => Module::with_options(bytes, jitless_wasm_core::Profile::Latest, l.compile_options()),
            None => Module::new(bytes),
        }
        .map_err(Error::from)
    }

    /// Instantiates with imports resolved from the registry; a missing one is a link error.
    fn instantiate(&self, module: &Module) -> Result<Instance, Error> {
        let mut imports = Vec::with_capacity(module.imports().len());
        for (i, imp) in module.imports().iter().enumerate() {
            match self.registry.get(&imp.module).and_then(|m| m.get(&imp.name)) {
                Some(e) => imports.push(e.clone()),
                None => {
                    // A missing import: no value of the declared kind.
                    let import = ImportRef { index: i as u32, module: imp.module.clone(), name: imp.name.clone() };
                    let reason = ImportMismatch::Kind { expected: imp.ty.clone() };
                    return Err(LinkError::Import { import, reason }.into());
                }
            }
        }
        match &self.limits {
            Some(l) => Instance::new_limited(module, &imports, l),
            None => Instance::new(module, &imports),
        }
    }

    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => {
                self.instances.get(id.name()).cloned().ok_or_else(|| format!("unknown instance ${}", id.name()))
            }
            None => self.current.clone().ok_or_else(|| match self.failed_module_line {
                Some(l) => format!("no current instance (the module at line {l} failed)"),
                None => "no current instance".to_string(),
            }),
        }
    }

    fn invoke(&self, invoke: &WastInvoke<'_>) -> Result<Vec<Val>, ExecError> {
        let instance = self.instance(invoke.module).map_err(ExecError::Harness)?;
        let Some(Extern::Func(func)) = instance.export(invoke.name) else {
            return Err(ExecError::Harness(format!("no exported function {:?}", invoke.name)));
        };
        let args = invoke.args.iter().map(values::arg).collect::<Result<Vec<_>, _>>().map_err(ExecError::Harness)?;
        let params = func.ty().params();
        if args.len() != params.len() || args.iter().zip(params).any(|(a, p)| !a.matches(p)) {
            return Err(ExecError::Harness(format!("arguments do not match the type of {:?}", invoke.name)));
        }
        let mut results = Vec::new();
        func.call(&args, &mut results).map_err(ExecError::Core)?;
        Ok(results)
    }

    fn exec(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, ExecError> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module).map_err(ExecError::Harness)?;
                match instance.export(global) {
                    Some(Extern::Global(g)) => Ok(vec![g.get()]),
                    _ => Err(ExecError::Harness(format!("no exported global {global:?}"))),
                }
            }
            WastExecute::Wat(mut wat) => {
                let bytes = wat.encode().map_err(|e| ExecError::Harness(format!("module does not encode: {e}")))?;
                let module = self.compile(&bytes).map_err(ExecError::Core)?;
                self.instantiate(&module).map_err(ExecError::Core)?;
                Ok(Vec::new())
            }
        }
    }

    /// `assert_invalid` / `assert_malformed`: the module must not encode or must not compile.
    fn assert_rejected(&self, mut module: QuoteWat<'_>, kind: &str, message: &str) -> Outcome {
        match encode(&mut module) {
            Ok(None) => Outcome::Skip(SKIP_COMPONENT),
            Err(_) => Outcome::Pass,
            Ok(Some(bytes)) => match Module::new(&bytes) {
                Err(_) => Outcome::Pass,
                Ok(_) => match LIFTED_RESTRICTIONS.iter().find(|(m, _)| *m == message) {
                    Some((_, why)) => Outcome::Skip(why),
                    None => Outcome::Fail(format!("expected a {kind} module ({message:?}), but it compiled")),
                },
            },
        }
    }

    /// `assert_unlinkable`: the module compiles but instantiation is a link error.
    fn assert_unlinkable(&self, mut module: Wat<'_>, message: &str) -> Outcome {
        let bytes = match module.encode() {
            Ok(b) => b,
            Err(e) => return Outcome::Fail(format!("module does not encode: {e}")),
        };
        let module = match self.compile(&bytes) {
            Ok(m) => m,
            Err(e) => return Outcome::Fail(format!("expected a link error ({message:?}), got {e}")),
        };
        match self.instantiate(&module) {
            Err(Error::Link(_)) => Outcome::Pass,
            Err(e) => Outcome::Fail(format!("expected a link error ({message:?}), got {e}")),
            Ok(_) => Outcome::Fail(format!("expected a link error ({message:?}), but it instantiated")),
        }
    }
}

fn check_trap(result: Result<Vec<Val>, ExecError>, codes: &[TrapCode], message: &str) -> Outcome {
    match result {
        Err(ExecError::Core(Error::Trap(t))) if codes.contains(&t.code) => Outcome::Pass,
        Err(ExecError::Core(Error::Trap(t))) => {
            Outcome::Fail(format!("expected trap {message:?} ({codes:?}), got trap {:?}", t.code))
        }
        Err(e) => Outcome::Fail(format!("expected trap {message:?}, got {e}")),
        Ok(vals) => {
            let shown: Vec<String> = vals.iter().map(values::show_val).collect();
            Outcome::Fail(format!("expected trap {message:?}, got results [{}]", shown.join(", ")))
        }
    }
}
