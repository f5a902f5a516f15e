// The hosts the addon is tried under besides this machine's Node, and how each is run with its
// JIT off. A host is present when every file it needs exists (scripts/hosts/fetch.sh fetches
// Deno, Bun and the arm64/Windows Node binaries from the npm registry into .hosts/).
// - deno: V8 with `--v8-flags=--jitless` (V8's WebAssembly is then undefined, as in Node);
//   `--unstable-detect-cjs` lets ESM import our CommonJS files (polyfill.js) from a folder
//   whose package.json has no "type". ($JITLESS_WASM_DENO overrides the binary.)
// - bun: JavaScriptCore. `BUN_JSC_useJIT=0` turns its JITs off, but JSC keeps its own
//   WebAssembly (an interpreter), so ours is installed over it with JITLESS_WASM_FORCE=1.
//   ($JITLESS_WASM_BUN overrides the binary.)
// - node-arm64: Node for linux-arm64 under qemu-user (no binfmt needed: qemu is called
//   directly, with Debian's arm64 glibc from g++-aarch64-linux-gnu's libc6-arm64-cross), loading
//   dist/bin/jitless-wasm.linux-arm64-gnu.node (scripts/cross-build.sh linux-arm64-gnu).
// - node-win: Node for Windows under Wine (apt wine64), loading
//   dist/bin/jitless-wasm.win32-x64-gnu.node. (Under Wine, Node cannot open a pipe as its
//   stdout, EBADF: [`runUnder`] gives every host files instead.)
// `expect` is what `hostFeatures()` must say there (the V8 shim is used only in Node on Linux
// with the shim built).

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const hostsDir = join(root, '.hosts');
const deno = process.env.JITLESS_WASM_DENO || join(hostsDir, 'deno/deno');
const bun = process.env.JITLESS_WASM_BUN || join(hostsDir, 'bun/bun');
const nodeArm64 = join(hostsDir, 'node-arm64/bin/node');
const nodeWin = join(hostsDir, 'node-win/node.exe');
const addon = (p) => join(root, `dist/bin/jitless-wasm.${p}.node`);

/** A host: the files it needs, its binary, the arguments before a script, extra environment. */
export const hosts = {
  deno: {
    need: [deno],
    bin: deno,
    args: ['run', '-A', '--unstable-detect-cjs', '--v8-flags=--jitless'],
    env: { NO_COLOR: '1' },
    expect: { node: false, sharedArrayBuffers: false },
  },
  bun: {
    need: [bun],
    bin: bun,
    args: [],
    env: { BUN_JSC_useJIT: '0', JITLESS_WASM_FORCE: '1', NO_COLOR: '1' },
    expect: { node: false, sharedArrayBuffers: false },
  },
  'node-arm64': {
    need: ['/usr/bin/qemu-aarch64', '/usr/aarch64-linux-gnu/lib', nodeArm64, addon('linux-arm64-gnu')],
    bin: '/usr/bin/qemu-aarch64',
    args: ['-L', '/usr/aarch64-linux-gnu', nodeArm64, '--jitless'],
    // qemu-user cannot make the shim's second mapping of a shared memory (`mremap` with an old
    // size of 0: `buffer` throws "RangeError: WebAssembly.Memory.buffer: out of address space"),
    // so the shim is off there; everything else of the shim loads and resolves on arm64
    // (`JITLESS_WASM_V8_SHIM= node scripts/hosts/run.mjs node-arm64` runs the examples with it).
    env: { NAPI_RS_NATIVE_LIBRARY_PATH: addon('linux-arm64-gnu'), JITLESS_WASM_V8_SHIM: '0' },
    expect: { node: false, sharedArrayBuffers: false },
  },
  'node-win': {
    need: ['/usr/lib/wine/wine64', nodeWin, addon('win32-x64-gnu')],
    bin: '/usr/lib/wine/wine64',
    args: [nodeWin, '--jitless'],
    // Node refuses Wine's Windows version without the first variable.
    // WINEPATH: where the addon's dependencies are searched (.hosts/node-win holds the
    // bcryptprimitives.dll stand-in that Wine 8 lacks, see scripts/hosts/wine/).
    env: {
      NAPI_RS_NATIVE_LIBRARY_PATH: addon('win32-x64-gnu'),
      NODE_SKIP_PLATFORM_CHECK: '1',
      WINEDEBUG: '-all',
      WINEPATH: `Z:${join(hostsDir, 'node-win').replaceAll('/', '\\')}`,
    },
    // (No shim on Windows, so nothing asks whether the host is Node.)
    expect: { node: false, sharedArrayBuffers: false },
  },
};

/** The named host if everything it needs is present, else undefined. */
export function host(name) {
  const h = hosts[name];
  return h && h.need.every((f) => existsSync(f)) ? h : undefined;
}

/**
 * Runs `script` (a path) under host `h` with stdout and stderr going to files; returns
 * `{ status, signal, error, stdout, stderr }` as spawnSync does.
 */
export function runUnder(h, script, extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'jitless-wasm-host-'));
  const [out, err] = [openSync(join(dir, 'out'), 'w'), openSync(join(dir, 'err'), 'w')];
  try {
    const r = spawnSync(h.bin, [...h.args, script, ...extraArgs], {
      cwd: root,
      stdio: ['ignore', out, err],
      timeout: 300_000,
      env: { ...process.env, ...h.env },
    });
    const read = (f) => readFileSync(join(dir, f), 'utf8');
    return { status: r.status, signal: r.signal, error: r.error, stdout: read('out'), stderr: read('err') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}
