// Module customization hooks (`module.register`, Node 20.6 – 22.14) for jitless-wasm/register:
// `import 'node:wasi'` / `import 'wasi'` resolve to our WASI module.
const TARGET = new URL('./node-wasi.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'node:wasi' || specifier === 'wasi') return { url: TARGET, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
