//! JSON output helpers shared by the benchmark runners (`bench-wasmi`; `bench-wasmtime` includes
//! this file by path, being in its own workspace).

/// A JSON string literal of `s` (quotes, backslashes and control characters escaped).
pub fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
