#!/usr/bin/env node
// Builds the native addon when it is missing (a fresh clone, or an install from source).
// Set JITLESS_WASM_SKIP_BUILD=1 to skip (e.g. when a prebuilt binary is provided).
'use strict'
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
if (process.env.JITLESS_WASM_SKIP_BUILD === '1') process.exit(0)
const have = fs.readdirSync(root).some((f) => /^jitless-wasm\..*\.node$/.test(f)) && fs.existsSync(path.join(root, 'binding.js'))
if (have && process.env.JITLESS_WASM_FORCE_BUILD !== '1') process.exit(0)

const cli = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
if (!fs.existsSync(cli)) {
  console.error('jitless-wasm: @napi-rs/cli is not installed; run `npm install` in the package folder first')
  process.exit(1)
}
console.log('jitless-wasm: building the native addon (cargo, release)…')
execFileSync(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'binding.js', '--dts', 'binding.d.ts'], {
  cwd: root,
  stdio: 'inherit',
})
