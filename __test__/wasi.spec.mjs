// jitless-wasm/wasi: C programs built with wasi-libc (fixtures/wasi/*.c, built by
// scripts/wasi/build-fixtures.sh) run on Node's own node:wasi over V8 and on ours under
// `node --jitless`, each in a child process with a fresh sandbox: stdout, stderr, exit code and
// the files left behind must be the same. Deliberate differences are marked where they are
// checked (the sandbox holes of uvwasi; poll_oneoff with only closed descriptors).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runFixture, runFixtureFed, sandboxed } from './helpers/wasi-compare.mjs';

/** Runs the fixture on both and checks everything is the same; returns ours. */
function same(fixture, opts = {}) {
  const theirs = runFixture('node', fixture, opts);
  const ours = runFixture('ours', fixture, opts);
  assert.equal(ours.stderr, theirs.stderr, 'stderr');
  assert.equal(ours.stdout, theirs.stdout, 'stdout');
  assert.equal(ours.status, theirs.status, 'exit code');
  assert.deepEqual(ours.tree, theirs.tree, 'files left behind');
  return { ours, theirs };
}

const readdirSetup = (root) => {
  const d = path.join(root, 'sandbox', 'dir');
  fs.mkdirSync(d);
  for (const n of ['b.txt', 'a.txt', 'a-much-longer-name-than-the-buffer.txt', 'c']) fs.writeFileSync(path.join(d, n), n);
  fs.mkdirSync(path.join(d, 'sub'));
  fs.symlinkSync('a.txt', path.join(d, 'link'));
};

const sandboxSetup = (root) => {
  const s = path.join(root, 'sandbox');
  const o = path.join(root, 'outside');
  fs.mkdirSync(o);
  fs.writeFileSync(path.join(o, 'secret.txt'), 'SECRET');
  fs.writeFileSync(path.join(s, 'inside.txt'), 'inside');
  fs.symlinkSync('inside.txt', path.join(s, 'in'));
  fs.symlinkSync('loop', path.join(s, 'loop'));
  fs.symlinkSync(o, path.join(s, 'out'));
  fs.symlinkSync('../outside', path.join(s, 'rel-out'));
};

describe('WASI programs: ours under --jitless against node:wasi on V8', () => {
  test('args, environment, stdout/stderr and the exit code', () => {
    const { ours } = same('hello', {
      options: () => ({ args: ['hello', '5', 'x y', 'ünï'], env: { GREETING: 'hey', EMPTY: '', SKIPPED: undefined } }),
    });
    assert.equal(ours.status, 5);
    assert.match(ours.stdout, /argv\[3\]=ünï/);
  });

  test('no arguments, no environment (Node: args_get fails with EINVAL, libc exits 71)', () => {
    const { ours } = same('hello');
    assert.equal(ours.status, 71);
  });

  for (const code of ['0', '3', '255', '256']) {
    test(`proc_exit(${code}) with returnOnExit`, () => {
      same('exit', { options: () => ({ args: ['exit', code] }) });
    });
  }

  test('proc_exit without returnOnExit ends the process with the code', () => {
    const { ours } = same('exit', { options: () => ({ args: ['exit', '42'], returnOnExit: false }) });
    assert.equal(ours.status, 42);
  });

  test('files: create, read, write, seek, append, truncate, stat, rename, links, unlink, mkdir', () => {
    const { ours } = same('files', { options: sandboxed() });
    assert.ok(ours.tree.includes('f sandbox/sub/deeper/keep.txt 5 "kept\\n"'));
  });

  test('directories: readdir, rewinddir, fd_readdir cookies with a small buffer', () => {
    const { ours } = same('readdir', { setup: readdirSetup, options: sandboxed() });
    assert.match(ours.stdout, /raw: 6 entries/);
  });

  test('clocks, nanosleep and poll_oneoff with clocks and descriptors', () => {
    const theirs = runFixture('node', 'clocks', { options: () => ({ args: ['clocks', `${Math.floor(Date.now() / 1000)}`] }) });
    const ours = runFixture('ours', 'clocks', { options: () => ({ args: ['clocks', `${Math.floor(Date.now() / 1000)}`] }) });
    // DELIBERATE DIFFERENCE: a poll on closed descriptors only. uvwasi reports a clock event
    // with userdata 0 (its loop has nothing to wait on); ours reports the EBADF event asked for.
    const badf = /^badf poll .*$/m;
    assert.equal(ours.stdout.replace(badf, ''), theirs.stdout.replace(badf, ''));
    assert.match(ours.stdout, /^badf poll err=0 n=1 userdata=66 error=8$/m);
    assert.equal(ours.status, theirs.status);
    assert.doesNotMatch(ours.stdout, /: 0$/m, 'every check printed 1');
  });

  test('random_get', () => {
    const { ours } = same('random');
    assert.doesNotMatch(ours.stdout, /: 0$/m);
  });

  test('stdin from a pipe, read in small chunks', () => {
    same('stdin', { input: 'hello stdin\nsecond line ünï\n'.repeat(50) });
  });

  test('stdin from a file and from /dev/null', () => {
    const file = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'jw-in-')), 'in.txt');
    fs.writeFileSync(file, 'from a file\n');
    // One open file per run: the children share the parent's file offset.
    const runs = ['node', 'ours'].map((impl) => {
      const fd = fs.openSync(file, 'r');
      try {
        return runFixture(impl, 'stdin', { stdin: fd });
      } finally {
        fs.closeSync(fd);
      }
    });
    fs.rmSync(path.dirname(file), { recursive: true });
    assert.equal(runs[1].stdout, runs[0].stdout);
    assert.match(runs[1].stdout, /^FROM A FILE$/m);
    same('stdin', { stdin: 'ignore' });
  });

  // poll_oneoff on stdin (fd_read subscription on fd 0 with a clock timeout), as uvwasi's epoll
  // loop reports it: readable while data is left, HANGUP once the writer is gone and nothing is
  // left, the clock's event while an open pipe stays empty; /dev/null is EPERM (not pollable).
  // Waiting on a descriptor needs the addon's poll(2) (Linux; JITLESS_WASM_WASI_HOST_CALLS=0 turns
  // the host calls off): without it descriptors are reported ready at once.
  const pollArgs = (timeoutMs, rounds) => () => ({ args: ['poll_stdin', String(timeoutMs), String(rounds)] });
  const skipPoll = process.platform !== 'linux' || process.env.JITLESS_WASM_WASI_HOST_CALLS === '0';

  test('poll_oneoff on stdin: a pipe holding data, then its end', { skip: skipPoll }, () => {
    const { ours } = same('poll_stdin', { input: 'hello poll\n', options: pollArgs(5000, 4) });
    // (Node's child stdin is a socket: the peer's shutdown is a HANGUP even with data left.)
    assert.match(ours.stdout, /^round 0: poll err=0 n=1 \[userdata=100 error=0 type=1 hangup=[01]\]\n {2}read 11: hello poll$/m);
    assert.match(ours.stdout, /^round 1: poll err=0 n=1 \[userdata=100 error=0 type=1 hangup=1\]\n {2}read 0: $/m);
  });

  test('poll_oneoff on stdin: an empty pipe already closed, and /dev/null', { skip: skipPoll }, () => {
    const { ours } = same('poll_stdin', { input: '', options: pollArgs(5000, 4) });
    assert.match(ours.stdout, /^round 0: poll err=0 n=1 \[userdata=100 error=0 type=1 hangup=1\]$/m);
    const devnull = same('poll_stdin', { stdin: 'ignore', options: pollArgs(100, 4) });
    assert.match(devnull.ours.stdout, /^round 0: poll err=63 n=0$/m);
  });

  test('poll_oneoff on stdin: an empty pipe that gets data later (clock events until then)', { skip: skipPoll }, async () => {
    // The number of timeouts depends on timing: runs of them count as one (and those before the
    // data are not counted at all: a slow start may not see any).
    const steps = [{ after: 1500, write: 'later\n' }, { after: 800, end: true }];
    const shape = (s) =>
      s
        .replace(/^round \d+: /gm, '')
        .replace(/(poll err=0 n=1 \[userdata=200 error=0 type=0\]\n)+/g, 'timeouts\n')
        .replace(/^timeouts\n/, '');
    const theirs = await runFixtureFed('node', 'poll_stdin', steps, { options: pollArgs(150, 100) });
    const ours = await runFixtureFed('ours', 'poll_stdin', steps, { options: pollArgs(150, 100) });
    assert.equal(ours.stderr, theirs.stderr);
    assert.equal(shape(ours.stdout), shape(theirs.stdout));
    assert.equal(ours.status, theirs.status);
    assert.equal(
      shape(ours.stdout),
      'poll err=0 n=1 [userdata=100 error=0 type=1 hangup=0]\n  read 6: later\n\n' +
        'timeouts\npoll err=0 n=1 [userdata=100 error=0 type=1 hangup=1]\n  read 0: \n',
    );
  });

  test('rights, preopens, renumber, times, allocate, append flag', () => {
    same('rights', { setup: (root) => fs.writeFileSync(path.join(root, 'sandbox', 'data.txt'), 'data\n'), options: sandboxed() });
  });

  test('sandbox: `..`, absolute paths and symbolic links cannot leave the preopen', () => {
    const theirs = runFixture('node', 'sandbox', { setup: sandboxSetup, options: sandboxed() });
    const ours = runFixture('ours', 'sandbox', { setup: sandboxSetup, options: sandboxed() });
    // DELIBERATE DIFFERENCE: a symbolic link in the middle of a path ([link] lines). uvwasi leaves
    // it to the host, which follows it out of the preopen (reading, creating and deleting files
    // outside); ours resolves every link itself and refuses (ENOTCAPABLE).
    const withoutLinks = (s) => s.replace(/^\[link\].*\n/gm, '');
    assert.equal(withoutLinks(ours.stdout), withoutLinks(theirs.stdout));
    const linkLines = ours.stdout.match(/^\[link\].*$/gm);
    assert.equal(linkLines.length, 6);
    for (const line of linkLines) assert.match(line, /(denied errno=76|-1 errno=76)/, line);
    assert.ok(ours.tree.includes('f outside/secret.txt 6 "SECRET"'), 'the outside file is untouched');
    assert.ok(!ours.tree.some((e) => e.startsWith('d outside/made') || e.startsWith('f outside/new.txt')));
    assert.match(ours.stdout, /^open \/sandbox\/loop -> denied errno=32/m);
    assert.equal(ours.status, 0);
  });
});
