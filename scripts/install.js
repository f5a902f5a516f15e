#!/usr/bin/env node
// The install step of jitless-wasm. In order:
// 1. a prebuilt platform package (`jitless-wasm-<platform>`, an optionalDependency that npm
//    installed because its os/cpu/libc match): nothing to build;
// 2. an addon already built in this folder (a development checkout): nothing to build;
// 3. a source build with cargo (Rust needed; a clear message when it is missing).
// With @napi-rs/cli present (a development checkout) step 3 runs `napi build`; without it (an
// install as a dependency) it runs cargo directly and copies the library to the file name
// lib/native.js loads.
// JITLESS_WASM_SKIP_BUILD=1 skips the build; JITLESS_WASM_FORCE_BUILD=1 rebuilds even if present.
'use strict'
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
if (process.env.JITLESS_WASM_SKIP_BUILD === '1') process.exit(0)
const force = process.env.JITLESS_WASM_FORCE_BUILD === '1'

/** The platform-package name of this machine (as in scripts/platforms.mjs), e.g. linux-x64-gnu. */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
  }
  if (platform === 'win32') return `win32-${arch}-gnu`
  return `${platform}-${arch}`
}

const suffix = platformSuffix()

/** Whether the prebuilt package for this platform is installed (resolvable from here). */
function hasPlatformPackage() {
  try {
    require.resolve(`jitless-wasm-${suffix}/package.json`, { paths: [root] })
    return true
  } catch {
    return false
  }
}

if (!force && hasPlatformPackage()) process.exit(0)
const addon = path.join(root, `jitless-wasm.${suffix}.node`)
if (fs.existsSync(addon) && !force) process.exit(0)

const cargo = process.env.CARGO || 'cargo'
if (spawnSync(cargo, ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    [
      `jitless-wasm: no prebuilt binary for ${suffix} (the package jitless-wasm-${suffix} is not installed:`,
      '  not published for this platform, or optional dependencies were omitted), and Rust is not',
      `  installed (\`${cargo}\` was not found on the PATH), so the addon cannot be built from source.`,
      '  Install Rust (https://rustup.rs) and a C compiler, then reinstall; or install with optional',
      `  dependencies enabled (npm install --include=optional) on a platform with a prebuilt package.`,
    ].join('\n'),
  )
  process.exit(1)
}

const cli = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
console.log(`jitless-wasm: no prebuilt binary for ${suffix}; building the native addon from source (cargo, release)…`)
if (fs.existsSync(cli)) {
  execFileSync(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'binding.js', '--dts', 'binding.d.ts'], {
    cwd: root,
    stdio: 'inherit',
  })
} else {
  execFileSync(cargo, ['build', '--release', '-p', 'jitless-wasm'], { cwd: root, stdio: 'inherit' })
  const lib = { darwin: 'libjitless_wasm.dylib', win32: 'jitless_wasm.dll' }[process.platform] ?? 'libjitless_wasm.so'
  fs.copyFileSync(path.join(root, 'target', 'release', lib), addon)
}
