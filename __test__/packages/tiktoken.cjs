'use strict';
// Workload for tiktoken (Rust, wasm-bindgen; the full build with the BPE ranks embedded in wasm):
// encodes a few texts (ASCII, code, Unicode, emoji, special tokens) with three encodings, decodes
// them back, counts tokens for a larger generated text and checks the error for a disallowed
// special token. Prints one line per result; the test compares the sha256 of this output.
const { createHash } = require('node:crypto');
const { get_encoding, encoding_for_model } = require('tiktoken');

const sha = (x) => createHash('sha256').update(x).digest('hex');

const texts = [
  'hello world',
  'The quick brown fox jumps over the lazy dog. 1234567890 !@#$%^&*()',
  'function add(a, b) {\n  return a + b; // tokenised as code\n}\n',
  'Ünïcödé — 日本語のテキスト, emoji 🚀🧪👩‍💻 and Ελληνικά.',
  '   leading spaces\n\n\ttabs\r\nand CRLF   ',
  '',
];

// Deterministic larger text (xorshift32 over a vocabulary), about 200 kB.
function corpus(size) {
  const words = ['wasm', 'jitless', 'tokenizer', 'interpreter', 'the', 'of', 'and', 'Ångström', '東京', '🚀', '1234', 'x_y'];
  let x = 88675123;
  const parts = [];
  let len = 0;
  while (len < size) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const w = words[x % words.length] + (x % 13 === 0 ? '.\n' : ' ');
    parts.push(w);
    len += w.length;
  }
  return parts.join('');
}

const lines = [];
for (const name of ['cl100k_base', 'o200k_base', 'p50k_base']) {
  const enc = get_encoding(name);
  for (const t of texts) {
    const tokens = enc.encode(t);
    const back = new TextDecoder().decode(enc.decode(tokens));
    lines.push(`${name} ${JSON.stringify(t).slice(0, 40)} n=${tokens.length} [${Array.from(tokens).join(',')}] roundtrip=${back === t}`);
  }
  const big = corpus(200_000);
  const tokens = enc.encode(big);
  lines.push(`${name} corpus n=${tokens.length} sha=${sha(Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength))}`);
  lines.push(`${name} corpus roundtrip=${new TextDecoder().decode(enc.decode(tokens)) === big}`);
  const special = enc.encode('<|endoftext|> after special', 'all');
  lines.push(`${name} special [${Array.from(special).join(',')}]`);
  try {
    enc.encode('<|endoftext|>');
    lines.push(`${name} disallowed special: no error`);
  } catch (e) {
    lines.push(`${name} disallowed special: ${String(e && e.message ? e.message : e).slice(0, 80)}`);
  }
  lines.push(`${name} single token bytes ${Buffer.from(enc.decode_single_token_bytes(tokens[0])).toString('hex')}`);
  enc.free();
}
const m = encoding_for_model('gpt-4o');
lines.push(`gpt-4o ${Array.from(m.encode('model lookup works')).join(',')}`);
m.free();

process.stdout.write(lines.join('\n') + '\n');
