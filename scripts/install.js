#!/usr/bin/env node
// Builds the native addon when it is missing (a fresh clone, or an install from a source tarball).
// With @napi-rs/cli present (a development checkout) it runs `napi build`, which also generates
// binding.js; without it (an install as a dependency) it runs cargo directly and copies the library
// to the file name binding.js loads.
// JITLESS_WASM_SKIP_BUILD=1 skips the build; JITLESS_WASM_FORCE_BUILD=1 rebuilds even if present.
'use strict'
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
if (process.env.JITLESS_WASM_SKIP_BUILD === '1') process.exit(0)

/** The platform suffix napi-rs gives the addon file (e.g. linux-x64-gnu). */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

const addon = path.join(root, `jitless-wasm.${platformSuffix()}.node`)
const haveAll = fs.existsSync(addon) && fs.existsSync(path.join(root, 'binding.js'))
if (haveAll && process.env.JITLESS_WASM_FORCE_BUILD !== '1') process.exit(0)

const cli = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
console.log('jitless-wasm: building the native addon (cargo, release)…')
if (fs.existsSync(cli)) {
  execFileSync(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'binding.js', '--dts', 'binding.d.ts'], {
    cwd: root,
    stdio: 'inherit',
  })
} else {
  if (!fs.existsSync(path.join(root, 'binding.js'))) {
    console.error('jitless-wasm: binding.js is missing and @napi-rs/cli is not installed; run `npm install` in a checkout')
    process.exit(1)
  }
  execFileSync('cargo', ['build', '--release', '-p', 'jitless-wasm'], { cwd: root, stdio: 'inherit' })
  const lib = { darwin: 'libjitless_wasm.dylib', win32: 'jitless_wasm.dll' }[process.platform] ?? 'libjitless_wasm.so'
  fs.copyFileSync(path.join(root, 'target', 'release', lib), addon)
}
