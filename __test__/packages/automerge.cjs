'use strict';
// Workload for @automerge/automerge (Rust CRDT library, wasm-bindgen; its wasm uses the legacy
// exception-handling proposal: try/catch/rethrow): creates documents with fixed actor ids, makes
// concurrent changes (maps, lists, text splices, counters, nested objects), merges them, saves
// and loads, incremental saves, change history, conflicts, patches and sync messages between
// two peers. Prints one line per result; the test compares the sha256 of this output.
const { createHash } = require('node:crypto');
const A = require('@automerge/automerge');

const sha = (b) => createHash('sha256').update(b).digest('hex');
const out = [];
const put = (k, v) => out.push(`${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
const actor = (n) => n.toString(16).padStart(2, '0').repeat(16);
const T = 1_700_000_000; // fixed change timestamps (seconds)

let base = A.change(A.init({ actor: actor(1) }), { message: 'init', time: T }, (d) => {
  Object.assign(d, { title: 'notes', items: [], count: new A.Counter(0), meta: { tags: ['a'] } });
});
base = A.change(base, { message: 'text', time: T }, (d) => {
  d.body = 'Hello world';
});
put('base', A.toJS(base));

let alice = A.clone(base, { actor: actor(2) });
let bob = A.clone(base, { actor: actor(3) });
for (let i = 0; i < 50; i++) {
  alice = A.change(alice, { message: `alice ${i}`, time: T + i }, (d) => {
    d.items.push({ id: i, by: 'alice', done: i % 3 === 0 });
    d.count.increment(2);
    if (i % 10 === 0) A.splice(d, ['body'], 5, 0, ` a${i}`);
  });
  bob = A.change(bob, { message: `bob ${i}`, time: T + i }, (d) => {
    d.items.unshift({ id: 1000 + i, by: 'bob' });
    d.count.decrement(1);
    if (i % 7 === 0) A.splice(d, ['body'], 0, 1, 'h');
    d.meta.tags.push(`t${i}`);
  });
}
alice = A.change(alice, { message: 'alice title', time: T }, (d) => { d.title = 'alice title'; });
bob = A.change(bob, { message: 'bob title', time: T }, (d) => { d.title = 'bob title'; });

const merged = A.merge(A.clone(alice), bob);
const mergedOther = A.merge(A.clone(bob), alice);
put('merged', A.toJS(merged));
put('converged', JSON.stringify(A.toJS(merged)) === JSON.stringify(A.toJS(mergedOther)));
put('heads', A.getHeads(merged).slice().sort());
put('conflicts title', A.getConflicts(merged, 'title'));
put('history', A.getHistory(merged).length);
put('history messages', A.getHistory(merged).slice(-3).map((h) => h.change.message));

const saved = A.save(merged);
put('save bytes', `${saved.length} ${sha(saved)}`);
const loaded = A.load(saved);
put('load equal', JSON.stringify(A.toJS(loaded)) === JSON.stringify(A.toJS(merged)));
let inc = A.change(loaded, { message: 'done', time: T + 99 }, (d) => { d.items[0].done = true; });
const incremental = A.saveIncremental(inc);
put('incremental bytes', incremental.length);
put('loadIncremental', A.toJS(A.loadIncremental(A.clone(loaded), incremental)).items[0]);

// Patches from the diff between two heads.
const patches = A.diff(merged, A.getHeads(base), A.getHeads(merged));
put('diff patches', patches.length);
put('diff first', patches.slice(0, 5));

// Sync protocol between two peers until quiescent.
let p1 = A.init({ actor: actor(4) });
let p2 = A.clone(merged, { actor: actor(5) });
let s1 = A.initSyncState();
let s2 = A.initSyncState();
let rounds = 0;
for (;;) {
  let m1;
  [s1, m1] = A.generateSyncMessage(p1, s1);
  if (m1) [p2, s2] = A.receiveSyncMessage(p2, s2, m1);
  let m2;
  [s2, m2] = A.generateSyncMessage(p2, s2);
  if (m2) [p1, s1] = A.receiveSyncMessage(p1, s1, m2);
  rounds++;
  if (!m1 && !m2) break;
  if (rounds > 20) break;
}
put('sync rounds', rounds);
put('sync equal', JSON.stringify(A.toJS(p1)) === JSON.stringify(A.toJS(merged)));

// Errors thrown from wasm (a corrupt document) surface as JS errors.
try {
  A.load(saved.subarray(0, saved.length >> 1));
  put('corrupt load', 'no error');
} catch (e) {
  put('corrupt load', `${e.constructor.name}: ${String(e.message).slice(0, 60)}`);
}

process.stdout.write(out.join('\n') + '\n');
