//! WebAssembly text format (written by the text engineer).
