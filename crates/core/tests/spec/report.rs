//! Per-file results, panic capture, and the ledger record files.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, Once};

/// How many failing directives a file prints (the counts always include all of them).
pub const MAX_PRINTED_FAILURES: usize = 25;
/// How many failing directives a ledger record keeps.
pub const MAX_RECORDED_FAILURES: usize = 3;

/// One failing directive.
#[derive(Debug, Clone)]
pub struct Failure {
    /// 1-based line of the directive in its `.wast` file.
    pub line: usize,
    /// What went wrong.
    pub reason: String,
}

/// The outcome of running one `.wast` file.
#[derive(Debug, Default, Clone)]
pub struct FileReport {
    /// Directives that behaved as the spec requires.
    pub passed: usize,
    /// Directives that did not (every one is also in `failures`).
    pub failed: usize,
    /// Directives not run, counted per reason in `skip_reasons`.
    pub skipped: usize,
    /// Reason → number of directives skipped for it.
    pub skip_reasons: BTreeMap<String, usize>,
    /// The failing directives, in file order.
    pub failures: Vec<Failure>,
}

impl FileReport {
    /// Records a passing directive.
    pub fn pass(&mut self) {
        self.passed += 1;
    }

    /// Records a failing directive.
    pub fn fail(&mut self, line: usize, reason: impl Into<String>) {
        self.failed += 1;
        self.failures.push(Failure { line, reason: reason.into() });
    }

    /// Records a skipped directive.
    pub fn skip(&mut self, reason: &str) {
        self.skipped += 1;
        *self.skip_reasons.entry(reason.to_string()).or_default() += 1;
    }

    /// A human-readable summary: counts, skip reasons, and (some of) the failures.
    pub fn render(&self, name: &str) -> String {
        let mut s = format!("{name}: {} passed, {} failed, {} skipped\n", self.passed, self.failed, self.skipped);
        for (reason, n) in &self.skip_reasons {
            let _ = writeln!(s, "  skipped {n}: {reason}");
        }
        for f in self.failures.iter().take(MAX_PRINTED_FAILURES) {
            let _ = writeln!(s, "  FAIL line {}: {}", f.line, one_line(&f.reason, 300));
        }
        if self.failures.len() > MAX_PRINTED_FAILURES {
            let _ = writeln!(s, "  ... and {} more failures", self.failures.len() - MAX_PRINTED_FAILURES);
        }
        s
    }
}

/// A report being filled in by a running script, shared with the thread that waits for it.
#[derive(Default)]
pub struct Progress {
    /// The counts so far.
    pub report: Mutex<FileReport>,
    /// The line of the directive running now.
    pub line: AtomicUsize,
}

impl Progress {
    /// Updates the report.
    pub fn record(&self, f: impl FnOnce(&mut FileReport)) {
        f(&mut self.report.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// A copy of the report so far.
    pub fn snapshot(&self) -> FileReport {
        self.report.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// `text` on one line, cut to `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into `Err(message with location)`. The panic is not printed.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let payload = info.payload();
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-string panic payload".into());
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
    let was = CAPTURING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(was));
    result.map_err(|_| {
        let msg = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "unknown panic".into());
        format!("panicked: {msg}")
    })
}

/// The directory ledger records go to, when `JITLESS_LEDGER` is set.
pub fn ledger_dir() -> Option<PathBuf> {
    std::env::var_os("JITLESS_LEDGER").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The record file of `suite/file` under `dir`.
pub fn record_path(dir: &Path, suite: &str, file: &str) -> PathBuf {
    dir.join(format!("{}__{file}.txt", suite.replace('/', "+")))
}

/// Writes the ledger record of one file (format: `key value` lines, see [`read_record`]).
pub fn write_record(dir: &Path, suite: &str, file: &str, r: &FileReport) -> std::io::Result<()> {
    let mut s = format!("passed {}\nfailed {}\nskipped {}\n", r.passed, r.failed, r.skipped);
    for (reason, n) in &r.skip_reasons {
        let _ = writeln!(s, "skip {n} {}", one_line(reason, 200));
    }
    for f in distinct_failures(&r.failures).take(MAX_RECORDED_FAILURES) {
        let _ = writeln!(s, "fail {} {}", f.line, one_line(&f.reason, 200));
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(record_path(dir, suite, file), s)
}

/// The failures whose reasons differ (ignoring digits), so that one root cause followed by many
/// consequences does not crowd out the others.
fn distinct_failures(failures: &[Failure]) -> impl Iterator<Item = &Failure> {
    let mut seen = std::collections::HashSet::new();
    failures.iter().filter(move |f| seen.insert(f.reason.replace(|c: char| c.is_ascii_digit(), "")))
}

/// Reads a record written by [`write_record`]; `failures` then holds only the recorded ones.
pub fn read_record(path: &Path) -> Option<FileReport> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut r = FileReport::default();
    for line in text.lines() {
        let (key, rest) = line.split_once(' ')?;
        match key {
            "passed" => r.passed = rest.parse().ok()?,
            "failed" => r.failed = rest.parse().ok()?,
            "skipped" => r.skipped = rest.parse().ok()?,
            "skip" => {
                let (n, reason) = rest.split_once(' ')?;
                r.skip_reasons.insert(reason.to_string(), n.parse().ok()?);
            }
            "fail" => {
                let (l, reason) = rest.split_once(' ')?;
                r.failures.push(Failure { line: l.parse().ok()?, reason: reason.to_string() });
            }
            _ => return None,
        }
    }
    Some(r)
}
