'use strict';
// The native addon: a local build (`jitless-wasm.<platform>.node` at the package root, from
// `npm run build` or the install script) first, then the prebuilt platform package
// `jitless-wasm-<platform>` (an optionalDependency). The addon registers its functions itself
// (no #[napi] items), so napi-rs generates no loader for it: this is the loader.
// NAPI_RS_NATIVE_LIBRARY_PATH (napi-rs's loaders' variable) names an addon file to load instead
// (scripts/hosts/hosts.mjs uses it for the cross-built addons).
const path = require('node:path');

/** The platform names to try, most likely first (scripts/platforms.mjs has the full list). */
function platformNames() {
  const { platform, arch } = process;
  // A musl build fails to load on glibc and the other way round: both are tried.
  if (platform === 'linux') return [`linux-${arch}-gnu`, `linux-${arch}-musl`];
  // Windows packages are MinGW-built (-gnu); an -msvc build would load as well.
  if (platform === 'win32') return [`win32-${arch}-gnu`, `win32-${arch}-msvc`];
  return [`${platform}-${arch}`];
}

function load() {
  const explicit = process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  if (explicit) return require(path.resolve(explicit));
  const tried = [];
  for (const name of platformNames()) {
    for (const id of [path.join(__dirname, '..', `jitless-wasm.${name}.node`), `jitless-wasm-${name}`]) {
      try {
        return require(id);
      } catch (error) {
        tried.push(`${id}: ${String(error.message).split('\n')[0]}`);
      }
    }
  }
  const names = platformNames();
  throw new Error(
    `jitless-wasm: cannot load the native addon for ${names[0]}: neither the prebuilt package ` +
      `jitless-wasm-${names[0]} nor a source build is installed.\n  ` +
      tried.join('\n  ') +
      '\nReinstall with optional dependencies enabled (npm install --include=optional), or build from source:' +
      ' that needs Rust (cargo, https://rustup.rs) and a C compiler, then `npm rebuild jitless-wasm` with' +
      ' install scripts allowed (in a checkout: `npm run build`).',
  );
}

module.exports = load();
