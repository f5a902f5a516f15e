// The benchmark's kernel chart (benchmark/lib/chart.mjs, `npm run bench -- --svg <file>`): an SVG
// made from a run's kernel records. Not a JS-API behaviour test (no V8 side): it checks the
// chart's content against the records it is given.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kernelChart } from '../benchmark/lib/chart.mjs';

const RECORDS = [
  { name: 'fib', median: { v8: 10, wasmi: 80, ours: 50, ours_jitless: 55 } },
  { name: 'matmul', median: { v8: 4, wasmi: 120, ours: 90 } },
  { name: 'no_v8', median: { wasmi: 1, ours: 1 } },
];

describe('benchmark kernel chart', () => {
  it('is one SVG document with a bar per engine and kernel, labelled with the ratio to V8', () => {
    const svg = kernelChart(RECORDS, { title: 'T & <run>' });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.ok(svg.includes('T &#38; &#60;run&#62;'), 'the title is escaped');
    // fib: wasmi 8×, ours 5.0×, --jitless 5.5×; matmul: wasmi 30×, ours 22.5 → "23×" (toFixed(0)).
    for (const t of ['fib, wasmi 2.0: 8.0×', 'fib, jitless-wasm: 5.0×', 'fib, jitless-wasm (node --jitless): 5.5×',
      'matmul, wasmi 2.0: 30×', 'matmul, jitless-wasm: 23×']) {
      assert.ok(svg.includes(`<title>${t} V8&#39;s time</title>`), t);
    }
    assert.equal((svg.match(/<title>/g) ?? []).length, 5, 'matmul has no --jitless bar');
    assert.ok(!svg.includes('no_v8'), 'a kernel without a V8 time is left out');
  });

  it('draws on a log scale: bars grow with the log of the ratio, and 1× is the V8 line', () => {
    const svg = kernelChart([{ name: 'k', median: { v8: 1, wasmi: 10, ours: 100 } }]);
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="10" fill="#(?:8c8c8c|2b6cb0)"><title>/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 2);
    assert.ok(Math.abs(widths[1] - 2 * widths[0]) < 0.5, `10× and 100× bars: ${widths}`);
    assert.ok(svg.includes('1× (V8)'));
  });

  it('has a legend of only the engines that have numbers', () => {
    const svg = kernelChart([{ name: 'k', median: { v8: 1, ours: 3 } }]);
    assert.ok(svg.includes('>jitless-wasm</text>'));
    assert.ok(!svg.includes('wasmi 2.0'));
    assert.ok(!svg.includes('node --jitless'));
  });
});
