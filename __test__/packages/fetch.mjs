// Workload for Node's built-in fetch (undici, whose HTTP parser llhttp is WebAssembly: it tries
// its SIMD build first and falls back to the plain one when that does not compile) against a
// local node:http server on 127.0.0.1 only. Exercises JSON, large chunked bodies, compressed
// bodies, redirects, POST uploads, streaming, keep-alive with many requests, error statuses and
// WebAssembly.compileStreaming/instantiateStreaming from a fetch Response.
// Prints one line per result; the test compares the sha256 of this output across engines.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { gzipSync, brotliCompressSync } from 'node:zlib';

const sha = (b) => createHash('sha256').update(b).digest('hex');
const REQUESTS = Number(process.env.FETCH_REQUESTS || 200);

function bytes(n, seed) {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
const big = bytes(3 * 1024 * 1024, 42);
const text = Array.from({ length: 20000 }, (_, i) => `line ${i} of a compressible text body`).join('\n');
// A tiny wasm module: (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
const wasm = Buffer.from('0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b', 'hex');

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    switch (url.pathname) {
      case '/json':
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-custom', 'a, b');
        res.end(JSON.stringify({ ok: true, n: Number(url.searchParams.get('n')), list: [1, 2, 3], s: 'héllo ✓' }));
        break;
      case '/big': {
        // Chunked transfer in irregular pieces.
        let off = 0;
        let step = 1000;
        const more = () => {
          while (off < big.length) {
            const piece = big.subarray(off, off + step);
            off += step;
            step = (step * 3 + 7) % 70000 + 1;
            if (!res.write(piece)) return res.once('drain', more);
          }
          res.end();
        };
        more();
        break;
      }
      case '/gzip':
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(text));
        break;
      case '/br':
        res.setHeader('content-encoding', 'br');
        res.end(brotliCompressSync(text));
        break;
      case '/redirect':
        res.statusCode = 302;
        res.setHeader('location', `/json?n=${url.searchParams.get('to')}`);
        res.end();
        break;
      case '/echo':
        res.setHeader('content-type', req.headers['content-type'] || 'application/octet-stream');
        res.end(JSON.stringify({ method: req.method, length: body.length, sha: sha(body), type: req.headers['content-type'] }));
        break;
      case '/wasm':
        res.setHeader('content-type', 'application/wasm');
        res.end(wasm);
        break;
      case '/missing':
        res.statusCode = 404;
        res.statusMessage = 'Nope';
        res.end('not here');
        break;
      default:
        res.statusCode = 500;
        res.end();
    }
  });
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const out = [];
try {
  const r1 = await fetch(`${base}/json?n=7`);
  out.push(`json ${r1.status} ${r1.headers.get('content-type')} ${r1.headers.get('x-custom')} ${JSON.stringify(await r1.json())}`);

  const r2 = await fetch(`${base}/big`);
  const bigBody = Buffer.from(await r2.arrayBuffer());
  out.push(`big ${r2.status} ${r2.headers.get('transfer-encoding')} ${bigBody.length} ${sha(bigBody)} equal=${bigBody.equals(big)}`);

  for (const enc of ['gzip', 'br']) {
    const r = await fetch(`${base}/${enc}`);
    const t = await r.text();
    out.push(`${enc} ${r.status} ${t.length} ${sha(t)} equal=${t === text}`);
  }

  const r3 = await fetch(`${base}/redirect?to=9`);
  out.push(`redirect ${r3.status} redirected=${r3.redirected} ${new URL(r3.url).pathname}${new URL(r3.url).search} ${(await r3.json()).n}`);
  const r3m = await fetch(`${base}/redirect?to=9`, { redirect: 'manual' });
  out.push(`redirect manual ${r3m.status} ${r3m.headers.get('location')}`);

  const upload = bytes(1024 * 1024 + 17, 7);
  const r4 = await fetch(`${base}/echo`, { method: 'POST', body: upload, headers: { 'content-type': 'application/x-test' } });
  out.push(`post ${r4.status} ${await r4.text()} expected ${sha(upload)}`);
  const r4f = await fetch(`${base}/echo`, { method: 'PUT', body: new URLSearchParams({ a: '1', b: 'two words' }) });
  out.push(`put form ${r4f.status} ${JSON.parse(await r4f.text()).type}`);

  // Streaming request and response bodies.
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 50; i++) controller.enqueue(new TextEncoder().encode(`chunk-${i};`));
      controller.close();
    },
  });
  const r5 = await fetch(`${base}/echo`, { method: 'POST', body: stream, duplex: 'half' });
  out.push(`stream upload ${await r5.text()}`);
  const r6 = await fetch(`${base}/big`);
  let streamed = 0;
  const h = createHash('sha256');
  for await (const chunk of r6.body) {
    streamed += chunk.length;
    h.update(chunk);
  }
  out.push(`stream download ${streamed} ${h.digest('hex')}`);

  // Many requests over keep-alive connections, some concurrent.
  let sum = 0;
  for (let i = 0; i < REQUESTS; i += 10) {
    const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => fetch(`${base}/json?n=${i + k}`).then((r) => r.json())));
    for (const j of batch) sum += j.n;
  }
  out.push(`keep-alive ${REQUESTS} requests sum ${sum}`);

  const r7 = await fetch(`${base}/missing`);
  out.push(`missing ${r7.status} ${r7.statusText} ok=${r7.ok} ${await r7.text()}`);
  try {
    await fetch(`http://127.0.0.1:1/unreachable`);
    out.push('refused: no error');
  } catch (e) {
    out.push(`refused: ${e.name} ${e.message} ${e.cause?.code}`);
  }

  // The WebAssembly streaming API fed by fetch.
  const { instance } = await WebAssembly.instantiateStreaming(fetch(`${base}/wasm`));
  out.push(`instantiateStreaming add(40, 2) = ${instance.exports.add(40, 2)}`);
  const mod = await WebAssembly.compileStreaming(fetch(`${base}/wasm`));
  out.push(`compileStreaming exports ${JSON.stringify(WebAssembly.Module.exports(mod))}`);
  try {
    await WebAssembly.compileStreaming(fetch(`${base}/json?n=1`));
    out.push('wrong mime: no error');
  } catch (e) {
    out.push(`wrong mime: ${e.name}`);
  }
} finally {
  server.close();
}
process.stdout.write(out.join('\n') + '\n');
