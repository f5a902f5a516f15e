//! The WebAssembly text format (WAT) front end.
//!
//! [`wat_to_wasm`] turns a module written in the text format into the binary
//! format, using the `wat` crate for the actual parsing and encoding. Before
//! the text reaches the parser, the instruction and type names of the
//! pre-2018 text format (the ones MVP-era `wabt` printed and many tutorials
//! still use, such as `get_local`, `anyfunc` or `i32.trunc_s/f32`) are
//! rewritten to their current spelling. The rewrite works on whole tokens
//! only and never touches strings or comments.
//!
//! Every rename keeps the byte length of the text unchanged (a shorter new
//! name is padded with spaces, which the text format ignores between
//! tokens), so an error position reported by the parser is also a position
//! in the text the caller passed in.

use std::borrow::Cow;
use std::fmt;

/// An error from [`wat_to_wasm`]: the text is not a well-formed module.
///
/// `line` and `column` are 1-based and point into the text that was passed
/// to [`wat_to_wasm`]. The column counts Unicode scalar values (a tab counts
/// as one). Both are 0 only if the position could not be determined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// What is wrong, without position information
    /// (for example `unknown operator or unexpected token`).
    pub message: String,
    /// The 1-based line of the offending token.
    pub line: usize,
    /// The 1-based column (in characters) of the offending token.
    pub column: usize,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for TextError {}

/// Converts a module in the WebAssembly text format to the binary format.
///
/// The text may use the current instruction names as well as the pre-2018
/// ones (`get_local`, `set_global`, `anyfunc`, `grow_memory`,
/// `i32.wrap/i64`, `f64.convert_s/i32`, ...), which are rewritten to the
/// current names first (see [`modernize`]). Only the syntax is checked here;
/// the returned bytes are not validated.
///
/// # Errors
///
/// Returns a [`TextError`] with the parser's message and the 1-based
/// line and column of the problem when the text cannot be parsed.
pub fn wat_to_wasm(text: &str) -> Result<Vec<u8>, TextError> {
    let modern = modernize(text);
    wat::parse_str(modern.as_ref()).map_err(|err| convert_error(&err, text))
}

/// The pre-2018 names and their current spelling.
///
/// No new name is longer than the old one; that keeps the rewrite
/// length-preserving (see the module documentation).
const RENAMES: &[(&str, &str)] = &[
    // Variable instructions.
    ("get_local", "local.get"),
    ("set_local", "local.set"),
    ("tee_local", "local.tee"),
    ("get_global", "global.get"),
    ("set_global", "global.set"),
    // The function reference type.
    ("anyfunc", "funcref"),
    // Memory instructions.
    ("current_memory", "memory.size"),
    ("grow_memory", "memory.grow"),
    // Integer wrapping and extension.
    ("i32.wrap/i64", "i32.wrap_i64"),
    ("i64.extend_s/i32", "i64.extend_i32_s"),
    ("i64.extend_u/i32", "i64.extend_i32_u"),
    // Float to integer truncation (trapping).
    ("i32.trunc_s/f32", "i32.trunc_f32_s"),
    ("i32.trunc_u/f32", "i32.trunc_f32_u"),
    ("i32.trunc_s/f64", "i32.trunc_f64_s"),
    ("i32.trunc_u/f64", "i32.trunc_f64_u"),
    ("i64.trunc_s/f32", "i64.trunc_f32_s"),
    ("i64.trunc_u/f32", "i64.trunc_f32_u"),
    ("i64.trunc_s/f64", "i64.trunc_f64_s"),
    ("i64.trunc_u/f64", "i64.trunc_f64_u"),
    // Float to integer truncation (saturating, the early wabt spelling).
    ("i32.trunc_s:sat/f32", "i32.trunc_sat_f32_s"),
    ("i32.trunc_u:sat/f32", "i32.trunc_sat_f32_u"),
    ("i32.trunc_s:sat/f64", "i32.trunc_sat_f64_s"),
    ("i32.trunc_u:sat/f64", "i32.trunc_sat_f64_u"),
    ("i64.trunc_s:sat/f32", "i64.trunc_sat_f32_s"),
    ("i64.trunc_u:sat/f32", "i64.trunc_sat_f32_u"),
    ("i64.trunc_s:sat/f64", "i64.trunc_sat_f64_s"),
    ("i64.trunc_u:sat/f64", "i64.trunc_sat_f64_u"),
    // Integer to float conversion.
    ("f32.convert_s/i32", "f32.convert_i32_s"),
    ("f32.convert_u/i32", "f32.convert_i32_u"),
    ("f32.convert_s/i64", "f32.convert_i64_s"),
    ("f32.convert_u/i64", "f32.convert_i64_u"),
    ("f64.convert_s/i32", "f64.convert_i32_s"),
    ("f64.convert_u/i32", "f64.convert_i32_u"),
    ("f64.convert_s/i64", "f64.convert_i64_s"),
    ("f64.convert_u/i64", "f64.convert_i64_u"),
    // Float precision changes.
    ("f32.demote/f64", "f32.demote_f64"),
    ("f64.promote/f32", "f64.promote_f32"),
    // Reinterpretations.
    ("i32.reinterpret/f32", "i32.reinterpret_f32"),
    ("i64.reinterpret/f64", "i64.reinterpret_f64"),
    ("f32.reinterpret/i32", "f32.reinterpret_i32"),
    ("f64.reinterpret/i64", "f64.reinterpret_i64"),
];

/// Looks up the current name of a pre-2018 token.
fn renamed(token: &str) -> Option<&'static str> {
    RENAMES.iter().find(|(old, _)| *old == token).map(|(_, new)| *new)
}

/// Whether `b` can be part of a keyword, identifier or number token
/// (the text format's `idchar`, plus anything non-ASCII so that stray
/// Unicode is kept inside the token it touches).
fn is_token_byte(b: u8) -> bool {
    !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'(' | b')' | b';' | b',' | b'[' | b']' | b'{' | b'}')
}

/// Rewrites the pre-2018 instruction and type names in `text` to their
/// current spelling.
///
/// Only whole tokens are renamed; identifiers (`$get_local`), strings
/// (`"get_local"`), line comments (`;; get_local`) and block comments
/// (`(; get_local ;)`, nested ones included) are left as they are. The
/// result has exactly the same byte length and line structure as `text`.
/// When nothing needs renaming, the text is returned borrowed.
pub fn modernize(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // `copied` is how much of `text` has been transferred to `out`.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' if bytes.get(i + 1) == Some(&b';') => {
                // A line comment runs to the end of the line.
                i = match text[i..].find('\n') {
                    Some(n) => i + n + 1,
                    None => bytes.len(),
                };
            }
            b'(' if bytes.get(i + 1) == Some(&b';') => {
                i = skip_block_comment(bytes, i);
            }
            b'"' => {
                i = skip_string(bytes, i);
            }
            b if is_token_byte(b) => {
                let start = i;
                while i < bytes.len() && is_token_byte(bytes[i]) {
                    i += 1;
                }
                let token = &text[start..i];
                if let Some(new) = renamed(token) {
                    let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    out.push_str(&text[copied..start]);
                    out.push_str(new);
                    // Pad to the old length so that positions stay valid.
                    for _ in new.len()..token.len() {
                        out.push(' ');
                    }
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Returns the index just past the block comment that starts at `start`
/// (which points at `(;`). Block comments nest. An unterminated comment
/// extends to the end of the text (the parser reports it).
fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Returns the index just past the string literal that starts at `start`
/// (which points at the opening quote). A backslash escapes the next byte.
/// An unterminated string extends to the end of the text.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Builds a [`TextError`] from the `wat` crate's error.
///
/// `wat::Error` does not expose its span, so the position is recovered
/// from its renderings: the byte offset of the span from the `Debug` form
/// (exact, turned into a line and a character column of `original`), or,
/// failing that, the `line:column` printed by the `Display` form.
fn convert_error(err: &wat::Error, original: &str) -> TextError {
    let rendered = err.to_string();
    let (message, shown) = split_display(&rendered);
    let (line, column) = match debug_span_offset(&format!("{err:?}")) {
        Some(offset) if offset <= original.len() => line_col(original, offset),
        _ => shown.unwrap_or((0, 0)),
    };
    TextError { message, line, column }
}

/// Splits the `Display` form of a `wat` error into the message and the
/// `line:column` it shows, if any.
///
/// The forms are:
///
/// ```text
/// <message>
///      --> <anon>:<line>:<col>
///       |
///  <line> | <source line>
///       |     ^
/// ```
///
/// `<message> at <anon>:<line>:<col>` (for columns past 500) and
/// `<message> at byte offset <n>` (no text attached).
fn split_display(rendered: &str) -> (String, Option<(usize, usize)>) {
    const ARROW: &str = "     --> <anon>:";
    let lines: Vec<&str> = rendered.split('\n').collect();
    if lines.len() >= 5 {
        let arrow = lines[lines.len() - 4];
        if let Some(pos) = arrow.strip_prefix(ARROW) {
            let message = lines[..lines.len() - 4].join("\n");
            return (message, parse_line_col(pos));
        }
    }
    if let Some(at) = rendered.rfind(" at <anon>:") {
        let pos = &rendered[at + " at <anon>:".len()..];
        if let Some(lc) = parse_line_col(pos) {
            return (rendered[..at].to_string(), Some(lc));
        }
    }
    if let Some(at) = rendered.rfind(" at byte offset ") {
        return (rendered[..at].to_string(), None);
    }
    (rendered.to_string(), None)
}

/// Parses `<line>:<col>`.
fn parse_line_col(s: &str) -> Option<(usize, usize)> {
    let (line, col) = s.trim().split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// Finds the span offset in the `Debug` form of a `wat` error.
///
/// The form is `... text: Some(Text { line: .., col: .., snippet: "<escaped
/// source line>" }), file: None, span: Span { offset: <n> }, kind: ...`.
/// The snippet is the user's own text, so it is skipped as an escaped
/// string rather than searched, and the message after the span is never
/// looked at.
fn debug_span_offset(debug: &str) -> Option<usize> {
    const SNIPPET: &str = "snippet: \"";
    const SPAN: &str = "span: Span { offset: ";
    let bytes = debug.as_bytes();
    let mut from = 0;
    if let Some(at) = debug.find(SNIPPET) {
        // Skip the escaped string: `\` escapes the next byte.
        let mut i = at + SNIPPET.len();
        loop {
            match bytes.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        from = i + 1;
    }
    let rest = &debug[from..];
    let at = rest.find(SPAN)? + SPAN.len();
    let digits: String = rest[at..].chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// Converts a byte offset of `text` to a 1-based line and a 1-based
/// column counted in characters.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the old spelling and the new one produce the same
    /// binary inside `template` (where `@` stands for the instruction).
    fn same_binary(template: &str, old: &str, new: &str) {
        let old_text = template.replace('@', old);
        let new_text = template.replace('@', new);
        let old_bin = wat_to_wasm(&old_text).unwrap_or_else(|e| panic!("{old}: {e}"));
        let new_bin = wat::parse_str(&new_text).unwrap_or_else(|e| panic!("{new}: {e}"));
        assert_eq!(old_bin, new_bin, "{old} vs {new}");
    }

    #[test]
    fn renames_keep_the_length() {
        for (old, new) in RENAMES {
            assert!(new.len() <= old.len(), "{old} -> {new}");
            assert_eq!(modernize(old).len(), old.len());
        }
    }

    #[test]
    fn every_rename_is_a_current_token() {
        // The modernized text of every old token must itself be unchanged
        // by another pass (no chains, no typos mapping to old names).
        for (old, new) in RENAMES {
            assert_eq!(modernize(old).trim_end(), *new);
            assert_eq!(modernize(new), *new);
        }
    }

    #[test]
    fn get_local() {
        same_binary("(module (func (param i32) (result i32) @ 0))", "get_local", "local.get");
    }

    #[test]
    fn set_local() {
        same_binary("(module (func (local i32) i32.const 1 @ 0))", "set_local", "local.set");
    }

    #[test]
    fn tee_local() {
        same_binary("(module (func (result i32) (local i32) i32.const 1 @ 0))", "tee_local", "local.tee");
    }

    #[test]
    fn get_global() {
        same_binary("(module (global $g i32 (i32.const 1)) (func (result i32) (@ $g)))", "get_global", "global.get");
    }

    #[test]
    fn set_global() {
        same_binary(
            "(module (global $g (mut i32) (i32.const 1)) (func (@ $g (i32.const 2))))",
            "set_global",
            "global.set",
        );
    }

    #[test]
    fn anyfunc() {
        same_binary("(module (table 2 @))", "anyfunc", "funcref");
        same_binary("(module (import \"js\" \"t\" (table 1 @)))", "anyfunc", "funcref");
    }

    #[test]
    fn current_memory() {
        same_binary("(module (memory 1) (func (result i32) @))", "current_memory", "memory.size");
    }

    #[test]
    fn grow_memory() {
        same_binary("(module (memory 1) (func (result i32) (@ (i32.const 1))))", "grow_memory", "memory.grow");
    }

    #[test]
    fn conversions() {
        for (old, new) in RENAMES.iter().filter(|(old, _)| old.contains('/')) {
            // `i32.trunc_s/f32` takes an f32 and gives an i32, and so on.
            let (result, rest) = old.split_once('.').unwrap();
            let param = &rest[rest.len() - 3..];
            let template = format!("(module (func (param {param}) (result {result}) local.get 0 @))");
            same_binary(&template, old, new);
        }
    }

    #[test]
    fn the_seed_examples_parse() {
        let text = r#"(module
  (table 2 anyfunc)
  (func $f1 (result i32)
    i32.const 42)
  (func $f2 (result i32)
    i32.const 13)
  (elem (i32.const 0) $f1 $f2)
  (type $return_i32 (func (result i32)))
  (func (export "callByIndex") (param $i i32) (result i32)
    get_local $i
    call_indirect (type $return_i32))
)"#;
        let bin = wat_to_wasm(text).unwrap();
        assert_eq!(&bin[..8], b"\0asm\x01\0\0\0");
    }

    #[test]
    fn strings_are_untouched() {
        let text = r#"(module (func (export "get_local") (export "anyfunc\"get_local")))"#;
        assert_eq!(modernize(text), text);
        assert!(matches!(modernize(text), Cow::Borrowed(_)));
        let bin = wat_to_wasm(text).unwrap();
        let has = |needle: &[u8]| bin.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"get_local"));
        assert!(has(b"anyfunc\"get_local"));
        // A string with an escaped backslash right before the closing quote.
        let text = r#"(module (data "\\") (func get_local))"#;
        assert_eq!(modernize(text), r#"(module (data "\\") (func local.get))"#);
    }

    #[test]
    fn comments_are_untouched() {
        let text = "(module ;; get_local anyfunc\n (; grow_memory (; nested get_global ;) set_local ;) (func))";
        assert_eq!(modernize(text), text);
        let text = "(module (; get_local ;) (func (param i32) get_local 0 drop)) ;; get_local";
        assert_eq!(modernize(text), "(module (; get_local ;) (func (param i32) local.get 0 drop)) ;; get_local");
    }

    #[test]
    fn identifiers_and_partial_tokens_are_untouched() {
        let text = "(module (func $get_local (local $anyfunc i32) get_localx xanyfunc))";
        assert_eq!(modernize(text), text);
    }

    #[test]
    fn tokens_next_to_parens_and_comments() {
        assert_eq!(modernize("(get_local)"), "(local.get)");
        assert_eq!(modernize("get_local;;x"), "local.get;;x");
        assert_eq!(modernize("(current_memory)"), "(memory.size   )");
        assert_eq!(modernize("grow_memory(;c;)"), "memory.grow(;c;)");
    }

    #[test]
    fn error_position() {
        let err = wat_to_wasm("(module\n  (func\n    i32.const 1\n    bogus.op))").unwrap_err();
        assert_eq!((err.line, err.column), (4, 5));
        assert_eq!(err.message, "unknown operator or unexpected token");
        assert_eq!(err.to_string(), "4:5: unknown operator or unexpected token");
    }

    #[test]
    fn error_position_after_a_shortened_rename() {
        // `current_memory` becomes the shorter `memory.size`; the column of
        // a later error must still be the one in the original text.
        let text = "(module (memory 1) (func current_memory drop $nope))";
        let err = wat_to_wasm(text).unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(err.column, text.find("$nope").unwrap() + 1);
    }

    #[test]
    fn error_column_counts_characters() {
        // Non-ASCII text in a comment before the error on the same line.
        let text = "(module (; ünïcödé ;) (func nope))";
        let err = wat_to_wasm(text).unwrap_err();
        let expected = text[..text.find("nope").unwrap()].chars().count() + 1;
        assert_eq!((err.line, err.column), (1, expected));
    }

    #[test]
    fn error_with_tricky_snippet() {
        // The source line itself looks like the span in the Debug form.
        let text = "(module (; \" }), file: None, span: Span { offset: 1 } \\\" ;) (func nope))";
        let err = wat_to_wasm(text).unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(err.column, text.find("nope").unwrap() + 1);
    }

    #[test]
    fn error_far_right() {
        // Past column 500 the `wat` crate renders the error differently.
        let text = format!("(module {}(func nope))", " ".repeat(600));
        let err = wat_to_wasm(&text).unwrap_err();
        assert_eq!((err.line, err.column), (1, text.find("nope").unwrap() + 1));
        assert_eq!(err.message, "unknown operator or unexpected token");
    }

    #[test]
    fn lexer_errors() {
        // An unterminated string is reported where the text ends.
        let err = wat_to_wasm("(module\n \"abc").unwrap_err();
        assert_eq!((err.line, err.column), (2, 6));
        assert!(!err.message.is_empty());
        let err = wat_to_wasm("(module (data \"\\q\"))").unwrap_err();
        assert_eq!((err.line, err.column), (1, 17));
        assert!(err.message.contains("escape"), "{}", err.message);
    }

    #[test]
    fn display_split() {
        let (m, lc) = split_display("boom at byte offset 3");
        assert_eq!((m.as_str(), lc), ("boom", None));
        let (m, lc) = split_display("boom at <anon>:2:700");
        assert_eq!((m.as_str(), lc), ("boom", Some((2, 700))));
    }

    #[test]
    fn line_col_of_offsets() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        assert_eq!(line_col("ab\ncd", 5), (2, 3));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }

    #[test]
    fn empty_module() {
        assert_eq!(wat_to_wasm("(module)").unwrap(), b"\0asm\x01\0\0\0");
    }
}
