// A dictionary argument whose reads are logged, for the WebIDL order-of-evaluation cases.

/** A descriptor whose reads are logged: `get k`, then `valueOf k` / `toString k` on use. */
export function recording(members, log) {
  const o = {};
  for (const [k, v] of Object.entries(members)) {
    Object.defineProperty(o, k, {
      enumerable: true,
      get() {
        log.push(`get ${k}`);
        if (typeof v === 'boolean') return v;
        return {
          valueOf: () => (log.push(`valueOf ${k}`), v),
          toString: () => (log.push(`toString ${k}`), String(v)),
        };
      },
    });
  }
  return o;
}
