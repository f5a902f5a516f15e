// The namespace, member by member, against the running Node's V8 (issue #12): every own
// property of `WebAssembly`, of each interface object and of its prototype (keys in order,
// property descriptors, function names and lengths, prototype chains), with our default profile
// for this Node line. V8's shape is read in a child `node` without --jitless, so the comparison
// runs under `node --jitless` too.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadOurs } from './helpers/impls.mjs';
import { hostProfile, nodeMajor } from './helpers/node-line.mjs';

const require = createRequire(import.meta.url);

/** Describes the shape of namespace `W` (a plain JSON value). Runs in this process and in the child. */
function shape(W) {
  const keyName = (k) => (typeof k === 'symbol' ? `[${k.description}]` : k);
  const protoName = (o) => {
    const p = Object.getPrototypeOf(o);
    if (p === null) return 'null';
    if (p === Object.prototype) return 'Object.prototype';
    if (p === Function.prototype) return 'Function.prototype';
    if (p === Error.prototype) return 'Error.prototype';
    if (p === Error) return 'Error';
    for (const [k, v] of Object.entries(Object.getOwnPropertyDescriptors(W))) {
      if (v.value === p) return `WebAssembly.${k}`;
      if (typeof v.value === 'function' && v.value.prototype === p) return `WebAssembly.${k}.prototype`;
    }
    if (typeof p === 'function') return `function ${p.name}`;
    if (Object.hasOwn(p, 'constructor') && typeof p.constructor === 'function') return `${p.constructor.name}.prototype`;
    return 'other';
  };
  const describeFn = (f) => (typeof f === 'function' ? `function ${f.name}/${f.length}` : typeof f);
  const props = (o) =>
    Reflect.ownKeys(o).sort((a, b) => (keyName(a) < keyName(b) ? -1 : keyName(a) > keyName(b) ? 1 : 0)).map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      const out = { key: keyName(k), enumerable: d.enumerable, configurable: d.configurable };
      if ('value' in d) {
        out.writable = d.writable;
        out.value = typeof d.value === 'object' && d.value !== null ? 'object' : describeFn(d.value);
        if (typeof d.value === 'string' || typeof d.value === 'number') out.value = d.value;
      } else {
        out.get = d.get ? describeFn(d.get) : undefined;
        out.set = d.set ? describeFn(d.set) : undefined;
      }
      return out;
    });
  const result = { namespace: props(W), proto: protoName(W), interfaces: {} };
  for (const k of Object.getOwnPropertyNames(W)) {
    const C = W[k];
    if (typeof C !== 'function' || !C.prototype) continue;
    result.interfaces[k] = {
      static: props(C),
      constructorProto: protoName(C),
      prototype: props(C.prototype),
      prototypeProto: protoName(C.prototype),
    };
  }
  // What Module extends from V8 13.6 on (%AbstractModuleSource%): its own shape too.
  const base = Object.getPrototypeOf(W.Module);
  if (base !== Function.prototype) result.moduleBase = { static: props(base), prototype: props(base.prototype) };
  return JSON.parse(JSON.stringify(result));
}

/** V8's shape on this Node, read in a child process with V8's WebAssembly. */
function v8Shape() {
  const r = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify((${shape})(WebAssembly)))`], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

it(`the namespace matches node ${nodeMajor}'s V8 member by member (profile ${hostProfile})`, () => {
  const ours = loadOurs().ns;
  assert.equal(require('../lib/profile.js').profile(), hostProfile, 'the tests run with the host profile');
  const mine = shape(ours);
  const v8 = v8Shape();
  const keys = (list) => list.map((p) => p.key);
  assert.deepEqual(keys(mine.namespace), keys(v8.namespace), 'the namespace\'s own keys');
  assert.deepEqual(mine.namespace, v8.namespace, 'WebAssembly');
  assert.equal(mine.proto, v8.proto);
  assert.deepEqual(mine.moduleBase, v8.moduleBase, 'what WebAssembly.Module extends');
  assert.deepEqual(Object.keys(mine.interfaces).sort(), Object.keys(v8.interfaces).sort());
  // Deliberate difference before Node 24: ours has Exception.prototype.stack (WebIDL's
  // accessor, which V8 has from 13.6); V8 11.3 and 12.4 put `stack` on each traced Exception.
  if (nodeMajor < 24) {
    const proto = mine.interfaces.Exception.prototype;
    assert.ok(proto.some((p) => p.key === 'stack'));
    mine.interfaces.Exception.prototype = proto.filter((p) => p.key !== 'stack');
  }
  // Every difference at once, then each interface in full.
  const differing = [];
  for (const name of Object.keys(v8.interfaces)) {
    for (const part of ['static', 'constructorProto', 'prototype', 'prototypeProto']) {
      if (JSON.stringify(mine.interfaces[name]?.[part]) !== JSON.stringify(v8.interfaces[name][part])) differing.push(`${name} ${part}`);
    }
  }
  assert.deepEqual(differing, []);
  for (const name of Object.keys(v8.interfaces)) {
    assert.deepEqual(mine.interfaces[name], v8.interfaces[name], `WebAssembly.${name}`);
  }
});
