// CoreMark 1.0 (benchmark/coremark/coremark.wasm, EEMBC's sources with our wasm32 port): small
// iteration counts run and validate on every implementation, with the same CRCs on ours and V8.
// CoreMark checks its own list, matrix and state CRCs against its known values; these tests
// read its report and the port's run() result, and show that a wrong answer is caught.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, implementations } from './helpers/impls.mjs';
import { coremarkInstance, coremarkVerdict } from '../benchmark/lib/coremark.mjs';

const field = (report, name) => {
  const m = report.match(new RegExp(`^\\[0\\]${name}\\s*: 0x([0-9a-f]{4})$`, 'm'));
  return m ? parseInt(m[1], 16) : undefined;
};

forEachImpl(({ WebAssembly: WA }) => {
  it('runs the 2K performance run and validates its CRCs; run() returns the reported crcfinal', () => {
    const cm = coremarkInstance(WA);
    const r = cm.run(10);
    const report = cm.output();
    assert.equal(coremarkVerdict(r.checksum), null, report);
    assert.match(report, /^2K performance run parameters for coremark\.$/m);
    assert.match(report, /^CoreMark Size {4}: 666$/m);
    assert.match(report, /^Iterations {7}: 10$/m);
    assert.doesNotMatch(report, /ERROR! (list|matrix|state) crc/);
    assert.equal(Number(r.checksum), field(report, 'crcfinal'));
    assert.ok(r.score > 0 && Number.isFinite(r.score), `score ${r.score}`);
  });

  it('gives the same crcfinal for the same count again, and a different one for another count', () => {
    const cm = coremarkInstance(WA);
    const a = cm.run(3).checksum;
    const b = cm.run(4).checksum;
    assert.equal(cm.run(3).checksum, a);
    assert.notEqual(a, b);
  });

  it('reports a CRC error (run() = -2) when its known list CRC is corrupted in memory', () => {
    const cm = coremarkInstance(WA);
    cm.run(1);
    const crclist = field(cm.output(), 'crclist');
    assert.notEqual(crclist, undefined);
    // Every little-endian copy of the value in memory, CoreMark's table of known CRCs among them
    // (the working data is rebuilt by every run).
    const mem = new Uint8Array(cm.memory.buffer);
    let hits = 0;
    for (let i = 0; i + 1 < mem.length; i += 2) {
      if (mem[i] === (crclist & 0xff) && mem[i + 1] === crclist >> 8) {
        mem[i] ^= 1;
        hits++;
      }
    }
    assert.ok(hits > 0);
    const before = cm.output().length;
    const r = cm.run(1);
    assert.equal(r.checksum, '-2');
    assert.match(coremarkVerdict(r.checksum), /CRC error/);
    assert.match(cm.output().slice(before), /\[0\]ERROR! list crc 0x[0-9a-f]{4} - should be 0x[0-9a-f]{4}/);
  });

  it('refuses a negative iteration count without running', () => {
    const cm = coremarkInstance(WA);
    assert.equal(cm.run(-1).checksum, '-3');
    assert.equal(cm.output(), '');
  });
});

describe('CoreMark: ours and V8 agree', () => {
  const [v8, ours] = implementations();
  const skip = v8.skip || ours.skip;
  it('on crclist, crcmatrix, crcstate and crcfinal for 1, 7 and 25 iterations', { skip }, () => {
    const a = coremarkInstance(v8.WebAssembly);
    const b = coremarkInstance(ours.WebAssembly);
    for (const n of [1, 7, 25]) {
      const ra = a.run(n);
      const rb = b.run(n);
      assert.equal(rb.checksum, ra.checksum, `crcfinal for ${n}`);
      for (const name of ['crclist', 'crcmatrix', 'crcstate', 'crcfinal']) {
        assert.equal(field(b.output(), name), field(a.output(), name), `${name} for ${n}`);
      }
    }
  });
});
