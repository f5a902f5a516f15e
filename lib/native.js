'use strict';
// The native binding: the loader napi-rs generates (`binding.js`, built by `napi build`), which
// tries `./jitless-wasm.<platform>.node` (a local build) and then the platform package
// `jitless-wasm-<platform>`. On Windows it asks for the -msvc name under official Node; the only
// Windows package is MinGW-built (-gnu), which loads there too, so that one is tried after it.
function load() {
  try {
    return require('../binding.js');
  } catch (error) {
    if (process.platform === 'win32') {
      for (const id of [`../jitless-wasm.win32-${process.arch}-gnu.node`, `jitless-wasm-win32-${process.arch}-gnu`]) {
        try {
          return require(id);
        } catch {
          // next candidate
        }
      }
    }
    throw error;
  }
}
module.exports = load();
