// The kernel chart of `npm run bench -- --svg <file>`: one SVG, made from the same run as the
// tables, of each kernel's time relative to V8's (V8 = 1×) for wasmi, ours and ours --jitless,
// on a log scale (the engines differ by 1–2 orders of magnitude). No dependencies: plain SVG text.

/** The engines drawn, in order, with their labels and colours. */
const SERIES = [
  { key: 'wasmi', label: 'wasmi 2.0', colour: '#8c8c8c' },
  { key: 'ours', label: 'jitless-wasm', colour: '#2b6cb0' },
  { key: 'ours_jitless', label: 'jitless-wasm (node --jitless)', colour: '#63b3ed' },
];

/** Escapes text for SVG content and attribute values. */
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The ratio's label: 2 significant digits, with ×. */
const ratio = (x) => `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2)}×`;

/**
 * The SVG text of the kernel chart.
 * @param {{ name: string, median?: Record<string, number> }[]} kernels the run's kernel records
 *   (median times in ms per engine: `v8`, `wasmi`, `ours`, `ours_jitless`)
 * @param {{ title?: string }} [options]
 * @returns {string} an SVG document; kernels without a V8 time are left out, engines without a
 *   time are not drawn for that kernel
 */
export function kernelChart(kernels, { title = 'Kernel time relative to V8 (log scale, lower is better)' } = {}) {
  const rows = kernels
    .filter((k) => Number.isFinite(k.median?.v8) && k.median.v8 > 0)
    .map((k) => ({
      name: k.name,
      bars: SERIES.map((s) => ({ ...s, x: k.median[s.key] / k.median.v8 })).filter((b) => Number.isFinite(b.x) && b.x > 0),
    }));
  const series = SERIES.filter((s) => rows.some((r) => r.bars.some((b) => b.key === s.key)));
  const all = rows.flatMap((r) => r.bars.map((b) => b.x));
  // The axis: decades from below the smallest ratio (at most 1×) to above the largest.
  const lo = 10 ** Math.floor(Math.log10(Math.min(1, ...all)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(10, ...all)));
  const left = 150, right = 60, top = 48, barH = 10, gap = 2, groupGap = 12;
  const plotW = 520, width = left + plotW + right;
  const groupH = series.length * (barH + gap) + groupGap;
  const legendH = 24;
  const height = top + rows.length * groupH + 28 + legendH;
  const xOf = (v) => left + (Math.log10(v / lo) / Math.log10(hi / lo)) * plotW;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="20" font-size="13" font-weight="bold">${esc(title)}</text>`);
  // Grid: one line per decade, V8 = 1× emphasised.
  const plotBottom = top + rows.length * groupH;
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    const x = xOf(v).toFixed(1);
    const one = Math.abs(v - 1) < 1e-9;
    out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${plotBottom}" stroke="${one ? '#d53f3f' : '#dddddd'}" stroke-width="${one ? 1.5 : 1}"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" fill="#555555">${esc(one ? '1× (V8)' : ratio(v))}</text>`);
  }
  rows.forEach((r, i) => {
    const y0 = top + i * groupH;
    out.push(`<text x="${left - 8}" y="${(y0 + (series.length * (barH + gap)) / 2 + 4).toFixed(1)}" text-anchor="end">${esc(r.name)}</text>`);
    series.forEach((s, j) => {
      const b = r.bars.find((bar) => bar.key === s.key);
      if (!b) return;
      const y = y0 + j * (barH + gap);
      const x0 = xOf(lo), x1 = xOf(b.x);
      out.push(`<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${barH}" fill="${s.colour}"><title>${esc(`${r.name}, ${s.label}: ${ratio(b.x)} V8's time`)}</title></rect>`);
      out.push(`<text x="${(x1 + 4).toFixed(1)}" y="${y + barH - 1}" fill="#333333">${esc(ratio(b.x))}</text>`);
    });
  });
  // Legend.
  let lx = left;
  const ly = plotBottom + 32;
  for (const s of series) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${s.colour}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}">${esc(s.label)}</text>`);
    lx += 14 + s.label.length * 6.2 + 18;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
