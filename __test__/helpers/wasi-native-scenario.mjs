// A scenario of fd_read/fd_write/fd_pread/fd_pwrite calls from wasm, with the edge cases of the
// native WASI functions (src/wasi_native.rs): bounds, bad and closed descriptors, missing
// rights, append mode, seeks, renumbering, descriptors past the native table; path_filestat_get
// on plain paths, links, `.`/`..`, trailing slashes and bad paths; path_open, fd_close and
// fd_fdstat_get (src/wasi_native_open.rs), with descriptors opened natively then used from JS. `run` returns a log of every
// call's errno and result, and the files left behind; the entries named `sandbox: …` are where
// ours deliberately differs from node:wasi (a link on the way out of the sandbox). Run as a script, it prints
// ours's log as JSON (__test__/wasi-native.spec.mjs runs it with JITLESS_WASM_WASI_NATIVE=0).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { wat } from './wat.mjs';

const require = createRequire(import.meta.url);

const P = '(param i32 i32 i32 i32) (result i32)';
const PP = '(param i32 i32 i32 i64 i32) (result i32)';
const MODULE = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write ${P}))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read ${P}))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread ${PP}))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite ${PP}))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $stat (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir ${PP}))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "write") ${P} local.get 0 local.get 1 local.get 2 local.get 3 call $fd_write)
  (func (export "read") ${P} local.get 0 local.get 1 local.get 2 local.get 3 call $fd_read)
  (func (export "pread") ${PP} local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $fd_pread)
  (func (export "pwrite") ${PP} local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $fd_pwrite)
  (func (export "seek") (param i32 i64 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 call $fd_seek)
  (func (export "tell") (param i32 i32) (result i32) local.get 0 local.get 1 call $fd_tell)
  (func (export "close") (param i32) (result i32) local.get 0 call $fd_close)
  (func (export "renumber") (param i32 i32) (result i32) local.get 0 local.get 1 call $fd_renumber)
  (func (export "setFlags") (param i32 i32) (result i32) local.get 0 local.get 1 call $set_flags)
  (func (export "setRights") (param i32 i64 i64) (result i32) local.get 0 local.get 1 local.get 2 call $set_rights)
  (func (export "stat") (param i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $stat)
  (func (export "readdir") ${PP} local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $readdir)
  (func (export "open") (param i32 i32 i32 i32) (result i32)
    ;; path_open(dirfd 3, follow, path, len, oflags, rights, rights, fdflags, fd_ptr)
    i32.const 3 i32.const 1 local.get 0 local.get 1 local.get 2 i64.const 110 i64.const 110 local.get 3 i32.const 96
    call $path_open)
  (func (export "openAt") (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 local.get 6 local.get 7 local.get 8
    call $path_open)
  (func (export "fdstat") (param i32 i32) (result i32) local.get 0 local.get 1 call $fdstat)
)`;

const IOV = 256; // iovec array
const RES = 64; // result (u32 or u64)
const DATA = 1024; // bytes written or read
const PATH = 512;

/**
 * Runs the scenario with `ns` (a WebAssembly namespace) and `WASI` (a node:wasi class) in a
 * fresh sandbox; returns { log, file }.
 */
export function run(ns, WASI) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-native-'));
  try {
    const wasi = new WASI({ version: 'preview1', preopens: { '/sandbox': root }, returnOnExit: true });
    const instance = new ns.Instance(new ns.Module(wat(MODULE)), wasi.getImportObject());
    wasi.initialize(instance);
    const x = instance.exports;
    const mem = () => new Uint8Array(x.memory.buffer);
    const dv = () => new DataView(x.memory.buffer);
    const log = [];
    const put = (at, text) => mem().set(Buffer.from(text, 'latin1'), at);
    const iovecs = (...pairs) => pairs.forEach(([base, len], i) => {
      dv().setUint32(IOV + 8 * i, base, true);
      dv().setUint32(IOV + 8 * i + 4, len, true);
    });
    const note = (name, errno) => {
      log.push([name, errno, dv().getUint32(RES, true), Buffer.from(mem().subarray(DATA, DATA + 32)).toString('latin1').replace(/\0+$/, '')]);
      dv().setUint32(RES, 0xdeadbeef, true);
      mem().fill(0, DATA, DATA + 32);
    };
    const open = (name, oflags = 0, fdflags = 0) => {
      put(PATH, name);
      const errno = x.open(PATH, name.length, oflags, fdflags);
      const fd = dv().getUint32(96, true);
      log.push([`open ${name}`, errno, fd]);
      return fd;
    };
    const write = (name, fd, text, ...pieces) => {
      put(DATA + 100, text);
      iovecs(...(pieces.length ? pieces : [[DATA + 100, text.length]]));
      note(name, x.write(fd, IOV, pieces.length || 1, RES));
    };
    const read = (name, fd, ...pieces) => {
      iovecs(...pieces);
      note(name, x.read(fd, IOV, pieces.length, RES));
    };
    const seek = (name, fd, offset, whence) => {
      const errno = x.seek(fd, offset, whence, 72);
      log.push([name, errno, String(dv().getBigUint64(72, true))]);
    };

    const tell = (name, fd, at = 72) => {
      const errno = x.tell(fd, at);
      log.push([name, errno, String(dv().getBigUint64(72, true))]);
    };
    const f = open('f.txt', 1 | 8); // O_CREAT | O_TRUNC
    write('write one iovec', f, 'hello ');
    write('write two iovecs', f, 'abcd', [DATA + 100, 2], [DATA + 102, 2]);
    // More iovecs than the native side keeps room for from call to call, then one again.
    write('write 80 iovecs', f, 'abcdefghij'.repeat(8), ...Array.from({ length: 80 }, (_, i) => [DATA + 100 + i, 1]));
    write('write one iovec after 80', f, '|');
    write('write an empty iovec', f, '', [DATA + 100, 0]);
    note('write no iovecs', x.write(f, IOV, 0, RES));
    write('write an iovec past the end', f, 'x', [65536, 1]);
    write('write an iovec ending past the end', f, 'x', [65530, 7]);
    put(DATA + 100, 'x');
    iovecs([DATA + 100, 1]);
    note('write a result past the end', x.write(f, IOV, 1, 65534));
    note('write an iovec array past the end', x.write(f, 65532, 1, RES));
    note('write an iovec array of 2^31 entries', x.write(f, IOV, 0x7fffffff, RES));
    write('write to a closed fd', 99, 'x');
    write('write to fd 5000', 5000, 'x');
    write('write to a directory', 3, 'x');
    seek('seek to 1', f, 1n, 0);
    read('read at 1', f, [DATA, 4]);
    read('read two iovecs', f, [DATA, 2], [DATA + 8, 3]);
    read('read at the end', f, [DATA, 8]);
    read('read past the end of memory', f, [65535, 2]);
    note('pread at 2', (iovecs([DATA, 5]), x.pread(f, IOV, 1, 2n, RES)));
    note('pread at a negative offset', (iovecs([DATA, 5]), x.pread(f, IOV, 1, -1n, RES)));
    note('pread far away', (iovecs([DATA, 5]), x.pread(f, IOV, 1, 1n << 40n, RES)));
    note('pread at 2^53 + 1', (iovecs([DATA, 5]), x.pread(f, IOV, 1, (1n << 53n) + 1n, RES)));
    note('pread at 2^62', (iovecs([DATA, 5]), x.pread(f, IOV, 1, 1n << 62n, RES)));
    note('pread no iovecs', x.pread(f, IOV, 0, 0n, RES));
    note('pread no iovecs at the end of memory', x.pread(f, 65536, 0, 0n, RES));
    put(DATA + 100, 'ZZ');
    note('pwrite at 1', (iovecs([DATA + 100, 2]), x.pwrite(f, IOV, 1, 1n, RES)));
    note('pwrite a bad fd', (iovecs([DATA + 100, 2]), x.pwrite(77, IOV, 1, 1n, RES)));
    note('pwrite at 2^62', (iovecs([DATA + 100, 2]), x.pwrite(f, IOV, 1, 1n << 62n, RES)));
    seek('tell after pread/pwrite', f, 0n, 1);
    tell('fd_tell after pread/pwrite', f);
    seek('seek to the end', f, 0n, 2);
    seek('seek 3 back from the end', f, -3n, 2);
    tell('fd_tell after seeking from the end', f);
    seek('seek before 0', f, -100n, 1);
    seek('seek far (2^40)', f, 1n << 40n, 0);
    seek('seek to 2^53', f, 1n << 53n, 0);
    seek('seek to 2^62', f, 1n << 62n, 0);
    seek('seek 2^62 past the current position', f, 1n << 62n, 1);
    seek('seek with whence 3', f, 0n, 3);
    seek('seek with whence 0x100 (0 in the low byte)', f, 4n, 0x100);
    log.push(['seek into a pointer past the end', x.seek(f, 0n, 0, 65532)]);
    log.push(['fd_tell into a pointer past the end', x.tell(f, 65533)]);
    seek('seek a closed fd', 99, 0n, 0);
    seek('seek a directory', 3, 0n, 0);
    seek('seek back to 10', f, 10n, 0);
    log.push(['set APPEND', x.setFlags(f, 1)]);
    write('write in append mode', f, 'tail');
    seek('tell after append', f, 0n, 1);
    log.push(['clear APPEND', x.setFlags(f, 0)]);
    seek('seek to 0', f, 0n, 0);
    write('write after append', f, 'H');
    const g = open('g.txt', 1 | 8);
    log.push(['renumber f to g', x.renumber(f, g)]);
    write('write on the old fd', f, 'x');
    write('write on the new fd', g, '!');
    seek('tell on the new fd', g, 0n, 1);
    log.push(['drop FD_WRITE', x.setRights(g, 110n & ~64n, 0n)]);
    write('write without FD_WRITE', g, 'x');
    read('read with FD_READ', g, [DATA, 3]);
    note('pwrite without FD_WRITE', (iovecs([DATA + 100, 1]), x.pwrite(g, IOV, 1, 0n, RES)));
    log.push(['drop FD_SEEK', x.setRights(g, 2n, 0n)]);
    note('pread without FD_SEEK', (iovecs([DATA, 1]), x.pread(g, IOV, 1, 0n, RES)));
    log.push(['close', x.close(g)]);
    read('read a closed fd', g, [DATA, 3]);
    const r = open('f.txt', 0, 0);
    read('read a reopened file', r, [DATA, 32]);
    const a = open('a.txt', 1, 1); // O_CREAT, FDFLAG.APPEND
    write('write an O_APPEND file', a, 'one');
    seek('tell an O_APPEND file', a, 0n, 1);
    write('write an O_APPEND file again', a, 'two');
    // path_filestat_get (the filestat's type, nlink and size: the rest differs between sandboxes)
    fs.mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    fs.writeFileSync(path.join(root, 'sub', 'x.txt'), 'xyz');
    fs.symlinkSync('sub/x.txt', path.join(root, 'ln'));
    fs.symlinkSync('sub', path.join(root, 'lsub'));
    fs.symlinkSync('/etc', path.join(root, 'esc'));
    fs.symlinkSync('../../..', path.join(root, 'sub', 'up'));
    const stat = (name, p, flags = 1, { fd = 3, len = p.length, at = PATH, buf = DATA } = {}) => {
      put(PATH, p);
      mem().fill(0xee, DATA, DATA + 64);
      const errno = x.stat(fd, flags, at, len, buf);
      const v = dv();
      log.push([name, errno, v.getUint8(DATA + 16), String(v.getBigUint64(DATA + 24, true)), String(v.getBigUint64(DATA + 32, true))]);
    };
    for (const p of ['f.txt', 'sub', 'sub/x.txt', 'sub/deeper', 'ln', 'lsub', 'lsub/x.txt', 'esc', 'sub/up', 'missing', 'sub/missing', 'f.txt/x', 'sub/', 'sub/./x.txt', 'sub/../f.txt', '../x', '/etc', '.', '', 'a\0b', 'f.txt\0']) {
      stat(`stat ${JSON.stringify(p)} follow`, p, 1);
      stat(`stat ${JSON.stringify(p)} nofollow`, p, 0);
    }
    // Deliberate differences from node:wasi (uvwasi lets a path out through a link on the way).
    for (const p of ['esc/passwd', 'sub/up/x']) {
      stat(`sandbox: stat ${JSON.stringify(p)} follow`, p, 1);
      stat(`sandbox: stat ${JSON.stringify(p)} nofollow`, p, 0);
    }
    stat('stat a path past the end', 'f.txt', 1, { at: 65534, len: 5 });
    stat('stat into a buffer past the end', 'f.txt', 1, { buf: 65500 });
    stat('stat on a file fd', 'x', 1, { fd: r });
    stat('stat on a closed fd', 'x', 1, { fd: 40 });
    // fd_readdir of the sandbox's root (fd 3): cookies, buffers too small for a header or name.
    const readdir = (name, cookie, len, { fd = 3, buf = DATA, used = RES } = {}) => {
      mem().fill(0xee, DATA, DATA + 512);
      const errno = x.readdir(fd, buf, len, cookie, used);
      log.push([name, errno, dv().getUint32(RES, true), Buffer.from(mem().subarray(DATA, DATA + 512)).toString('latin1')]);
      dv().setUint32(RES, 0xdeadbeef, true);
    };
    readdir('readdir from 0', 0n, 512);
    readdir('readdir from 2', 2n, 512);
    readdir('readdir from 3 into 30 bytes', 3n, 30);
    readdir('readdir from 3 into 10 bytes', 3n, 10);
    readdir('readdir from 0 into 0 bytes', 0n, 0);
    readdir('readdir past the end', 100n, 512);
    readdir('readdir from 2^63', 1n << 63n, 512);
    readdir('readdir a buffer past the end', 0n, 512, { buf: 65500 });
    readdir('readdir a result past the end', 0n, 512, { used: 65535 });
    readdir('readdir a file', 0n, 512, { fd: r });
    readdir('readdir a closed fd', 0n, 512, { fd: 41 });
    openedNatively(x, { log, put, mem, dv, note, read, write, readdir, stat });
    const file = fs.readFileSync(path.join(root, 'f.txt'), 'latin1') + '|' + fs.readFileSync(path.join(root, 'a.txt'), 'latin1');
    return { log, file };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * path_open, fd_close and fd_fdstat_get: descriptors opened natively, then used from wasm (native
 * and JS functions) and adopted by the JS table; the fallbacks to JS (links, rights, flags).
 */
function openedNatively(x, { log, put, mem, dv, note, read, write, readdir, stat }) {
  const FD = 96;
  const ALL = (1n << 28n) - 1n; // every right a directory passes on (no socket rights)
  const DIR = (1n << 13n) | (1n << 14n) | (1n << 18n); // PATH_OPEN, FD_READDIR, PATH_FILESTAT_GET
  const open = (name, p, { dir = 3, follow = 1, oflags = 0, base = ALL, inheriting = ALL, fdflags = 0, at = PATH, fdPtr = FD } = {}) => {
    put(PATH, p);
    dv().setUint32(FD, 0xdeadbeef, true);
    const errno = x.openAt(dir, follow, at, p.length, oflags, base, inheriting, fdflags, fdPtr);
    const fd = dv().getUint32(FD, true);
    log.push([`${name}: open ${JSON.stringify(p)}`, errno, errno === 0 ? fd : -1]);
    return fd;
  };
  const fdstat = (name, fd, buf = DATA) => {
    mem().fill(0xee, DATA, DATA + 24);
    const errno = x.fdstat(fd, buf);
    const v = dv();
    log.push([`fdstat ${name}`, errno, v.getUint8(DATA), v.getUint8(DATA + 1), v.getUint16(DATA + 2, true),
      String(v.getBigUint64(DATA + 8, true)), String(v.getBigUint64(DATA + 16, true))]);
  };
  const close = (name, fd) => log.push([`close ${name}`, x.close(fd)]);
  fdstat('the preopen', 3);
  fdstat('stdout', 1);
  fdstat('a closed fd', 45);
  fdstat('into a buffer past the end', 3, 65530);
  const sub = open('a directory', 'sub', { oflags: 2, fdflags: 4, base: DIR }); // O_DIRECTORY, NONBLOCK
  fdstat('the directory', sub);
  readdir('readdir the opened directory', 0n, 512, { fd: sub });
  stat('stat in the opened directory', 'x.txt', 1, { fd: sub });
  const x1 = open('a file in it', 'x.txt', { dir: sub, base: 2n | 4n | 32n, inheriting: 0n });
  fdstat('the read-only file', x1);
  read('read the natively opened file', x1, [DATA, 2]);
  read('read it on', x1, [DATA, 8]);
  write('write without the right', x1, 'w');
  close('the directory', sub);
  close('the directory again', sub);
  fdstat('the closed directory', sub);
  const x2 = open('a file where the directory was', 'sub/x.txt', { base: 2n | 4n | 64n });
  log.push(['renumber the native file onto the read-only one', x.renumber(x2, x1)]);
  read('read the renumbered file', x1, [DATA, 3]);
  fdstat('the renumbered file', x1);
  close('the renumbered file', x1);
  // Lowest free numbers, with JS-made descriptors (O_CREAT) in between.
  const y1 = open('one', 'sub/x.txt');
  const y2 = open('two', 'sub/x.txt');
  close('one', y1);
  const y3 = open('three (one reused)', 'f.txt');
  const y4 = open('four (O_CREAT: JS)', 'new.txt', { oflags: 1 });
  const y5 = open('five', 'f.txt');
  log.push(['set NONBLOCK on five', x.setFlags(y5, 4)]);
  fdstat('five after set flags', y5);
  for (const [name, fd] of [['two', y2], ['three', y3], ['four', y4], ['five', y5]]) close(name, fd);
  // Errors and fallbacks.
  open('not a directory', 'sub/x.txt', { oflags: 2 });
  open('missing', 'sub/missing');
  open('missing directory', 'nope/x');
  // (Deliberate difference: uvwasi opens through a last link it was told not to follow.)
  const nofollow = open('sandbox: a link, not followed', 'ln', { follow: 0 });
  if (nofollow !== 0xdeadbeef) log.push(['sandbox: close the link not followed', x.close(nofollow)]);
  const l = open('a link, followed', 'ln');
  close('the followed link', l);
  const ls = open('through a link', 'lsub/x.txt');
  close('the file through a link', ls);
  open('dot dot', 'sub/../f.txt');
  open('trailing slash on a file', 'f.txt/');
  open('a path past the end', 'f.txt', { at: 65534 });
  open('a result past the end', 'f.txt', { fdPtr: 65533 });
  open('from a closed directory', 'x.txt', { dir: 44 });
  open('from a file', 'x', { dir: 0 });
  const narrow = open('a directory passing only FD_READ on', 'sub', { oflags: 2, base: DIR, inheriting: 2n });
  open('for writing from it', 'x.txt', { dir: narrow, base: 64n });
  const ro = open('for reading from it', 'x.txt', { dir: narrow, base: 2n, inheriting: 0n });
  fdstat('the file read through it', ro);
  const dirNoOpen = open('a directory without PATH_OPEN', 'sub', { oflags: 2, base: 1n << 14n });
  open('from it', 'x.txt', { dir: dirNoOpen });
  open('truncating (JS)', 'sub/x.txt', { oflags: 8, base: 64n });
  open('a directory for writing', 'sub', { oflags: 2 });
  const dot = open('the directory itself', '.', { oflags: 2, base: DIR });
  fdstat('the directory itself', dot);
  close('the directory itself', dot);
  for (const fd of [narrow, ro, dirNoOpen]) close(`fd ${fd}`, fd);
  note('after the opens', 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { WASI } = require('../../wasi.js');
  process.stdout.write(JSON.stringify(run(require('../../index.js'), WASI)));
}
