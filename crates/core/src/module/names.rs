//! The "name" custom section: the module's name is read when the module is decoded; the
//! function names only when a stack trace first asks for one (a large module's name section
//! holds tens of thousands of names: z3's is 4.7 MB).

use std::sync::OnceLock;

use wasmparser::{BinaryReader, Name, NameSectionReader};

/// Function names by function index, ascending (may be sparse).
type NameMap = Box<[(u32, Box<str>)]>;

/// The function names of a module, read on first use from its "name" custom sections (kept
/// in `ModuleInfo::customs`).
#[derive(Default)]
pub(crate) struct FuncNames(OnceLock<NameMap>);

impl FuncNames {
    /// The name of function `index`, reading the name sections among `customs` on first use:
    /// the first name a section gives an index wins, sections in module order. A malformed
    /// name section is read up to its first error (custom sections never make a module invalid).
    pub(crate) fn get<'a>(&'a self, customs: &[(String, Box<[u8]>)], index: u32) -> Option<&'a str> {
        let names = self.0.get_or_init(|| {
            let mut out = Vec::new();
            for (_, data) in customs.iter().filter(|(n, _)| n == "name") {
                read_func_names(NameSectionReader::new(BinaryReader::new(data, 0)), &mut out);
            }
            out.sort_by_key(|(i, _)| *i);
            out.dedup_by_key(|(i, _)| *i);
            out.into_boxed_slice()
        });
        names.binary_search_by_key(&index, |(i, _)| *i).ok().map(|p| &*names[p].1)
    }
}

/// The module's name from a "name" section, if it has one (the function names are skipped).
pub(crate) fn module_name(names: NameSectionReader<'_>) -> Option<String> {
    let mut found = None;
    for sub in names {
        if let Ok(Name::Module { name, .. }) = sub {
            found = Some(name.to_string());
        }
    }
    found
}

/// Appends the function names of one "name" section to `out`.
fn read_func_names(names: NameSectionReader<'_>, out: &mut Vec<(u32, Box<str>)>) {
    for sub in names {
        let Ok(Name::Function(map)) = sub else { continue };
        for naming in map {
            match naming {
                Ok(n) => out.push((n.index, n.name.into())),
                Err(_) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::module::{decode::decode, Profile};

    /// A custom section `name` with `payload`.
    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(payload);
        let mut out = vec![0, body.len() as u8];
        out.extend(body);
        out
    }

    /// A name subsection: the module's name (`id` 0) or a function name map (`id` 1).
    fn sub(id: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![id, content.len() as u8];
        out.extend_from_slice(content);
        out
    }

    #[test]
    fn function_names_are_read_on_first_use_and_the_first_wins() {
        let bytes = crate::text::wat_to_wasm("(module $m (func $a) (func $b) (func))").unwrap();
        let (info, _) = decode(&bytes, Profile::Latest).unwrap();
        assert_eq!(info.module_name.as_deref(), Some("m"));
        assert_eq!(info.func_name(0), Some("a"));
        assert_eq!(info.func_name(1), Some("b"));
        assert_eq!(info.func_name(2), None);
        // A second name section renames function 2 and 0 (the first name of 0 stays) and the
        // module (the last module name wins, as before names were read lazily).
        let mut bytes = bytes;
        let map = [&[2u8, 2, 1, b'c'][..], &[0, 1, b'z']].concat();
        let names = [sub(0, &[1, b'n']), sub(1, &map)].concat();
        bytes.extend(custom("name", &names));
        let (info, _) = decode(&bytes, Profile::Latest).unwrap();
        assert_eq!(info.module_name.as_deref(), Some("n"));
        assert_eq!(info.func_name(0), Some("a"));
        assert_eq!(info.func_name(2), Some("c"));
        assert_eq!(info.func_name(3), None);
    }

    #[test]
    fn a_malformed_name_map_keeps_the_names_before_the_error() {
        let mut bytes = crate::text::wat_to_wasm("(module (func) (func))").unwrap();
        // Two entries announced; the second's name runs past the subsection.
        let names = sub(1, &[2, 0, 1, b'x', 1, 9, b'y']);
        bytes.extend(custom("name", &names));
        let (info, _) = decode(&bytes, Profile::Latest).unwrap();
        assert_eq!(info.func_name(0), Some("x"));
        assert_eq!(info.func_name(1), None);
    }
}
