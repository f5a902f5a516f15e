// Workload for hash-wasm (hand-written/clang wasm): many hash functions over multi-megabyte
// buffers, incremental hashing, HMAC, PBKDF2, scrypt, bcrypt and argon2id with small parameters.
// Prints one line per result; the test compares the sha256 of this output across engines.
import * as hw from 'hash-wasm';

const MB = Number(process.env.HASH_MB || 4);

// Deterministic pseudo-random data (xorshift32).
function data(size, seed) {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const big = data(MB * 1024 * 1024, 0xdecafbad);
const small = data(4096, 7);
const lines = [];
const put = (name, value) => lines.push(`${name} ${value}`);

for (const name of ['md5', 'sha1', 'sha256', 'sha512', 'blake2b', 'blake3', 'xxhash64', 'xxhash128', 'crc32', 'adler32']) {
  put(`${name}(${MB}MiB)`, await hw[name](big));
}
for (const name of ['md4', 'sha224', 'sha384', 'sha3', 'keccak', 'blake2s', 'ripemd160', 'sm3', 'whirlpool', 'xxhash32', 'xxhash3', 'crc64']) {
  put(`${name}(1MiB)`, await hw[name](big.subarray(0, 1 << 20)));
}
put('crc32c', await hw.crc32(big, 0x82f63b78));
put('sha3-224', await hw.sha3(small, 224));
put('blake2b-256-keyed', await hw.blake2b(small, 256, 'secret key'));
put('blake3-derive', await hw.blake3('context', 256, data(32, 99)));

// Incremental hashing over odd-sized chunks must equal the one-shot digest.
const h = await hw.createSHA256();
h.init();
for (let off = 0, step = 1; off < big.length; off += step, step = (step * 7 + 13) % 65521) {
  h.update(big.subarray(off, off + step));
}
put('sha256-incremental', h.digest('hex'));
const b3 = await hw.createBLAKE3();
b3.init();
b3.update('hello ');
b3.update(big.subarray(0, 100000));
put('blake3-incremental-binary', Buffer.from(b3.digest('binary')).toString('base64'));

put('hmac-sha256', await hw.createHMAC(hw.createSHA256(), 'key').then((m) => m.init().update(small).digest()));
put('pbkdf2', await hw.pbkdf2({ password: 'password', salt: 'salt', iterations: 2000, hashLength: 32, hashFunction: hw.createSHA256(), outputType: 'hex' }));
put('scrypt', await hw.scrypt({ password: 'pw', salt: 'NaCl', costFactor: 256, blockSize: 8, parallelism: 1, hashLength: 32, outputType: 'hex' }));
put('bcrypt', await hw.bcrypt({ password: 'pw', salt: data(16, 5), costFactor: 6, outputType: 'encoded' }));
put('argon2id', await hw.argon2id({ password: 'password', salt: data(16, 1), parallelism: 2, iterations: 3, memorySize: 4096, hashLength: 32, outputType: 'encoded' }));
put('argon2i', await hw.argon2i({ password: 'password', salt: data(16, 2), parallelism: 1, iterations: 2, memorySize: 1024, hashLength: 24, outputType: 'hex' }));
put('argon2d', await hw.argon2d({ password: 'password', salt: data(16, 3), parallelism: 1, iterations: 2, memorySize: 1024, hashLength: 16, outputType: 'hex' }));
const encoded = lines.at(-3).split(' ')[1];
put('argon2Verify', await hw.argon2Verify({ password: 'password', hash: encoded }));

process.stdout.write(lines.join('\n') + '\n');
