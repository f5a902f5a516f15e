// One test of the WASI testsuite in one process, for scripts/wasi/testsuite.mjs:
//   node [--jitless] testsuite-run.mjs <impl> <file.wasm> <root dir or -> [args...]
// impl 'node' (node:wasi over V8) or 'ours' (jitless-wasm/wasi under jitless-wasm). The test's
// environment comes as JSON in WASI_TEST_ENV; its root directory (a copy) is preopened as "/".
// The process exits with the program's exit code; stdout and stderr are the program's.
import fs from 'node:fs';
import { wasiEngine } from '../../__test__/helpers/wasi-engine.mjs';

const [impl, file, root, ...args] = process.argv.slice(2);
const { WA, WASI } = await wasiEngine(impl);
const options = {
  version: 'preview1',
  args: [file, ...args],
  env: JSON.parse(process.env.WASI_TEST_ENV ?? '{}'),
  returnOnExit: true,
};
if (root !== '-') options.preopens = { '/': root };
const wasi = new WASI(options);
const instance = new WA.Instance(new WA.Module(fs.readFileSync(file)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
