// `jitless-wasm/latest`: the same namespace as `jitless-wasm`, with the "latest" feature profile.
import WebAssembly = require('./index');
export = WebAssembly;
