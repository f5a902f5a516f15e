// The platform packages of jitless-wasm (napi-rs layout): one npm package per platform,
// `jitless-wasm-<name>`, holding `jitless-wasm.<name>.node`, selected by npm through the main
// package's optionalDependencies and its `os`/`cpu`/`libc` fields. Used by scripts/package.mjs,
// scripts/cross-build.sh (through `node scripts/platforms.mjs <name> <field>`) and
// scripts/install.js.
//
// `build` says how the binary is made on a Linux x64 machine (see scripts/cross-build.sh):
// - host:  `npm run build` (napi build) on the machine itself;
// - gcc:   cargo with a Debian cross gcc as linker (and C++ compiler for the V8 shim);
// - zig:   cargo-zigbuild (zig from PyPI as linker), without the V8 shim;
// - mingw: cargo with Debian's gcc-mingw-w64 (no V8 shim on Windows).

/** @type {{name: string, target: string, os: string, cpu: string, libc?: string, build: string}[]} */
export const platforms = [
  { name: 'linux-x64-gnu', target: 'x86_64-unknown-linux-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', build: 'host' },
  { name: 'linux-x64-musl', target: 'x86_64-unknown-linux-musl', os: 'linux', cpu: 'x64', libc: 'musl', build: 'zig' },
  { name: 'linux-arm64-gnu', target: 'aarch64-unknown-linux-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc', build: 'gcc' },
  { name: 'linux-arm64-musl', target: 'aarch64-unknown-linux-musl', os: 'linux', cpu: 'arm64', libc: 'musl', build: 'zig' },
  { name: 'win32-x64-gnu', target: 'x86_64-pc-windows-gnu', os: 'win32', cpu: 'x64', build: 'mingw' },
  { name: 'darwin-x64', target: 'x86_64-apple-darwin', os: 'darwin', cpu: 'x64', build: 'zig' },
  { name: 'darwin-arm64', target: 'aarch64-apple-darwin', os: 'darwin', cpu: 'arm64', build: 'zig' },
];

/** The platform-package name of this process's platform (napi-rs naming), e.g. `linux-x64-gnu`. */
export function currentPlatform() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  // Official Node for Windows is built with MSVC, but a MinGW-built addon loads in it as well
  // (Node-API symbols are resolved at load time): the only Windows package is -gnu.
  if (platform === 'win32') return `win32-${arch}-gnu`;
  return `${platform}-${arch}`;
}

// `node scripts/platforms.mjs <name> <field>` prints one field (for shell scripts).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [name, field] = process.argv.slice(2);
  const p = platforms.find((x) => x.name === name);
  if (!p) {
    console.error(`unknown platform ${name}; known: ${platforms.map((x) => x.name).join(', ')}`);
    process.exit(2);
  }
  console.log(p[field] ?? '');
}
