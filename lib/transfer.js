'use strict';
// Modules and shared Memories that cross threads: `postMessage` (Worker, MessagePort,
// parentPort, BroadcastChannel), `workerData`, `setEnvironmentData`, `receiveMessageOnPort`
// and `structuredClone`.
//
// `WebAssembly.Module` is serializable (https://webassembly.github.io/spec/web-api/#serialization)
// and so is a shared `WebAssembly.Memory` in V8 (and the other engines); V8 refuses the other
// interface objects (and an unshared Memory) with a DataCloneError. Node's structured clone only knows
// V8's own objects, and ours are JS objects over native handles, so:
//
// - Send: before Node serializes a message, `outgoing` looks for our objects in it (in plain
//   objects, arrays, Maps, Sets, other objects structured clone writes as plain objects and
//   Error causes, as deep as they go, cycles included); if it finds one it sends a copy of
//   those containers in which each Module / shared Memory is a token
//   (`{ [TOKEN]: SharedArrayBuffer }`, made by src/transfer.rs: the buffer's backing store
//   keeps the compiled module or the memory's bytes alive as long as any copy of it exists),
//   and it throws V8's DataCloneError for the objects V8 refuses. The user's objects are not
//   touched; the same object twice in a message gives one token, so it arrives as one object.
//   Nothing is searched before this thread made a wasm object of ours (`util.made`).
// - Receive: `incoming` replaces, in place, each token of a received message by an object of
//   this thread's namespace (a Module over the same compiled code, a Memory over the same
//   bytes) before any listener sees it. Messages reach listeners through
//   `MessagePort.prototype[kHybridDispatch]` (Node's lib/internal/per_context/messageport.js:
//   `on('message')`, `onmessage`, `addEventListener`, the Worker object's events and
//   BroadcastChannel's go through it); `receiveMessageOnPort`, `getEnvironmentData` and
//   `structuredClone` are wrapped, and `workerData` (deserialized before any user code runs)
//   is revived when this file loads in the worker. Received messages are only searched while
//   tokens exist in the process.
//
// Worker.prototype.postMessage, BroadcastChannel.prototype.postMessage and the Worker
// constructor (which posts `workerData` and the environment data to the new thread) all send
// through `MessagePort.prototype.postMessage`, so wrapping that covers them.
//
// Deliberate limits: host objects (MessagePort, Node's transferable classes, …) are searched
// but never copied; getters of a searched object run once for the search and once more when
// Node serializes it (twice where V8 runs them once); a copy of `receiveMessageOnPort` taken
// before this file loaded returns tokens. Without the V8 shim (`jitless_v8_shim`) there are no
// tokens: our Modules and shared Memories are a DataCloneError there.

const native = require('./native.js');
const { made } = require('./util.js');
const { unwrapModule, makeModule } = require('./module.js');
const { unwrapMemory } = require('./memory.js');
const { isInstance } = require('./instance.js');
const { unwrapTable } = require('./table.js');
const { unwrapGlobal } = require('./global.js');
const { unwrapTag } = require('./tag.js');
const { unwrapException } = require('./exception.js');

/** The property of a token object (a string key: symbol keys are not cloned). */
const TOKEN = '__jitlessWasmTransfer';
/** Marks the thread as patched (the first copy of the library loaded in a thread wins). */
const INSTALLED = Symbol.for('jitless-wasm.transfer');
const kHybridDispatch = Symbol.for('nodejs.internal.kHybridDispatch');

const { apply } = Reflect;
const { getPrototypeOf, setPrototypeOf, defineProperty, keys, hasOwn } = Object;
const isArray = Array.isArray;
const ObjectPrototype = Object.prototype;
const ArrayPrototype = Array.prototype;
const {
  isMap,
  isSet,
  isProxy,
  isNativeError,
  isArrayBufferView,
  isAnyArrayBuffer,
  isDate,
  isRegExp,
  isBoxedPrimitive,
  isPromise,
  isWeakMap,
  isWeakSet,
  isExternal,
} = require('node:util').types;
const { MessagePort } = require('node:worker_threads');
const mapEntries = Map.prototype.entries;
const mapSet = Map.prototype.set;
const mapClear = Map.prototype.clear;
const setValues = Set.prototype.values;
const setAdd = Set.prototype.add;
const setClear = Set.prototype.clear;
const sharedByteLength = Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get;
const hasTokens = typeof native.transferToken === 'function';

/** V8's DataCloneError for an object it cannot serialize. */
function dataCloneError(name) {
  return new DOMException(`#<${name}> could not be cloned.`, 'DataCloneError');
}

/** The interface name of one of our objects V8 refuses to clone, or undefined. */
function refusedName(o) {
  if (isInstance(o)) return 'Instance';
  if (unwrapTable(o) !== undefined) return 'Table';
  if (unwrapGlobal(o) !== undefined) return 'Global';
  if (unwrapTag(o) !== undefined) return 'Tag';
  if (unwrapException(o) !== undefined) return 'Exception';
  return undefined;
}

/**
 * The token of `o` if it is one of our serializable objects (a Module, a shared Memory),
 * `null` if it is none of ours; throws V8's DataCloneError for our other objects.
 */
function tokenOf(o) {
  const m = unwrapModule(o);
  const h = m !== undefined ? m : unwrapMemory(o);
  if (h !== undefined) {
    const sab = hasTokens ? native.transferToken(h) : undefined;
    if (sab === undefined) throw dataCloneError(m !== undefined ? 'Module' : 'Memory');
    return { [TOKEN]: sab };
  }
  const refused = refusedName(o);
  if (refused !== undefined) throw dataCloneError(refused);
  return null;
}

// The kinds of object the search walks into.
const LEAF = 0;
const PLAIN = 1;
const ARRAY = 2;
const MAP = 3;
const SET = 4;
/** Another object that structured clone writes as a plain object (a class instance, …). */
const OTHER = 5;
/** An Error (structured clone keeps its `cause`). */
const ERROR = 6;

/**
 * PLAIN or ARRAY for an ordinary object or array (never one of ours), else undefined. (A Proxy
 * may pass as one: its traps then run during the search, and Node refuses it anyway.)
 */
function plainKind(o) {
  const proto = getPrototypeOf(o);
  if (proto === ObjectPrototype || proto === null) return PLAIN;
  if (proto === ArrayPrototype && isArray(o)) return ARRAY;
  return undefined;
}

/** How the search treats the object `o`. */
function containerKind(o) {
  if (isProxy(o)) return LEAF;
  const proto = getPrototypeOf(o);
  if (proto === ObjectPrototype || proto === null) return PLAIN;
  if (isArray(o)) return ARRAY;
  if (isMap(o)) return MAP;
  if (isSet(o)) return SET;
  if (isNativeError(o)) return ERROR;
  if (
    isProxy(o) ||
    isArrayBufferView(o) ||
    isAnyArrayBuffer(o) ||
    isDate(o) ||
    isRegExp(o) ||
    isBoxedPrimitive(o) ||
    isPromise(o) ||
    isWeakMap(o) ||
    isWeakSet(o) ||
    isExternal(o) ||
    o instanceof MessagePort
  ) {
    return LEAF;
  }
  return OTHER;
}

/**
 * Whether `value` holds one of our serializable objects (searching containers; `search.seen`
 * remembers each result and breaks cycles). Their tokens go to `search.tokens`, and the Errors and other objects holding
 * them to `search.dirty`; throws V8's DataCloneError at the first of our objects V8 refuses.
 */
function holdsOurs(value, search) {
  if (typeof value !== 'object' || value === null) return false;
  // Seen: its result (false while its search is still running, in a cycle).
  const known = search.seen.get(value);
  if (known !== undefined) return known;
  search.seen.set(value, false);
  let kind = plainKind(value);
  if (kind === undefined) {
    const token = tokenOf(value);
    if (token !== null) {
      search.tokens.set(value, token);
      search.seen.set(value, true);
      return true;
    }
    kind = containerKind(value);
  }
  let found = false;
  switch (kind) {
    case PLAIN:
    case OTHER: {
      // (Plain loops and no call for a primitive: this runs for every message under --jitless.)
      const ks = keys(value);
      for (let i = 0; i < ks.length; i++) {
        const v = value[ks[i]];
        if (typeof v === 'object' && v !== null && holdsOurs(v, search)) found = true;
      }
      break;
    }
    case ARRAY:
      for (let i = 0, n = value.length; i < n; i++) {
        const v = value[i];
        if (typeof v === 'object' && v !== null && holdsOurs(v, search)) found = true;
      }
      break;
    case MAP:
      for (const [k, v] of apply(mapEntries, value, [])) {
        found = holdsOurs(k, search) || found;
        found = holdsOurs(v, search) || found;
      }
      break;
    case SET:
      for (const v of apply(setValues, value, [])) found = holdsOurs(v, search) || found;
      break;
    case ERROR:
      if (hasOwn(value, 'cause')) found = holdsOurs(value.cause, search);
      break;
  }
  if (found && (kind === OTHER || kind === ERROR)) search.dirty.add(value);
  search.seen.set(value, found);
  return found;
}

/** Defines an own data property as [[Set]] on a fresh object would (also for `__proto__`). */
function define(o, k, v) {
  defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Defines a non-enumerable own data property (as Error's `message`, `stack` and `cause`). */
function defineHidden(o, k, v) {
  defineProperty(o, k, { value: v, writable: true, enumerable: false, configurable: true });
}

/**
 * A copy of the containers of `value` with each Module / shared Memory replaced by its token.
 * `memo` maps each of our objects to its token and each copied container to its copy; Errors
 * and other objects are only copied when they hold ours (`dirty`).
 */
function withTokens(value, memo, dirty) {
  if (typeof value !== 'object' || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  // (A getter may hand out a new object the search did not see.)
  const token = tokenOf(value);
  if (token !== null) {
    memo.set(value, token);
    return token;
  }
  let out;
  const kind = containerKind(value);
  switch (kind) {
    case PLAIN:
    case OTHER:
      if (kind === OTHER && !dirty.has(value)) break;
      out = {};
      memo.set(value, out);
      for (const k of keys(value)) define(out, k, withTokens(value[k], memo, dirty));
      return out;
    case ARRAY:
      out = new Array(value.length);
      memo.set(value, out);
      for (const k of keys(value)) define(out, k, withTokens(value[k], memo, dirty));
      return out;
    case MAP:
      out = new Map();
      memo.set(value, out);
      for (const [k, v] of apply(mapEntries, value, [])) {
        apply(mapSet, out, [withTokens(k, memo, dirty), withTokens(v, memo, dirty)]);
      }
      return out;
    case SET:
      out = new Set();
      memo.set(value, out);
      for (const v of apply(setValues, value, [])) apply(setAdd, out, [withTokens(v, memo, dirty)]);
      return out;
    case ERROR: {
      if (!dirty.has(value)) break;
      // The same kind of Error with the same message and stack, and the copied cause.
      out = hasOwn(value, 'message') ? new Error(value.message) : new Error();
      setPrototypeOf(out, getPrototypeOf(value));
      memo.set(value, out);
      defineHidden(out, 'stack', value.stack);
      defineHidden(out, 'cause', withTokens(value.cause, memo, dirty));
      return out;
    }
  }
  memo.set(value, value);
  return value;
}

/** The message to serialize in place of `message` (itself when it holds none of our objects). */
function outgoing(message) {
  if (!made.any || typeof message !== 'object' || message === null) return message;
  const search = { seen: new Map(), tokens: new Map(), dirty: new Set() };
  if (!holdsOurs(message, search)) return message;
  return withTokens(message, search.tokens, search.dirty);
}

/** The object a token stands for in this thread, or undefined if `o` is no live token. */
function revived(o, memo) {
  if (!hasOwn(o, TOKEN)) return undefined;
  const done = memo.get(o);
  if (done !== undefined) return done;
  const sab = o[TOKEN];
  try {
    sharedByteLength.call(sab);
  } catch {
    return undefined;
  }
  const r = native.transferRevive(sab);
  if (r === undefined) return undefined;
  const obj = r[0] === 0 ? makeModule(r[1]) : r[1];
  memo.set(o, obj);
  return obj;
}

/** `value` with its tokens replaced, in place (a received message is ours to change). */
function revive(value, memo, seen) {
  if (typeof value !== 'object' || value === null) return value;
  const obj = revived(value, memo);
  if (obj !== undefined) return obj;
  if (seen.has(value)) return value;
  seen.add(value);
  switch (containerKind(value)) {
    case PLAIN:
    case ARRAY:
      for (const k of keys(value)) {
        const v = value[k];
        const r = revive(v, memo, seen);
        if (r !== v) define(value, k, r);
      }
      break;
    case MAP: {
      const entries = [...apply(mapEntries, value, [])];
      let changed = false;
      for (const e of entries) {
        const k = revive(e[0], memo, seen);
        const v = revive(e[1], memo, seen);
        if (k !== e[0] || v !== e[1]) changed = true;
        e[0] = k;
        e[1] = v;
      }
      if (changed) {
        apply(mapClear, value, []);
        for (const [k, v] of entries) apply(mapSet, value, [k, v]);
      }
      break;
    }
    case SET: {
      const values = [...apply(setValues, value, [])];
      const out = values.map((v) => revive(v, memo, seen));
      if (out.some((v, i) => v !== values[i])) {
        apply(setClear, value, []);
        for (const v of out) apply(setAdd, value, [v]);
      }
      break;
    }
    case ERROR:
      if (hasOwn(value, 'cause')) {
        const r = revive(value.cause, memo, seen);
        if (r !== value.cause) defineHidden(value, 'cause', r);
      }
      break;
  }
  return value;
}

/**
 * A received message with its tokens revived (searched only while tokens exist); `memo` maps
 * tokens to their objects (one per message, or kept across reads of one value).
 */
function incoming(message, memo = new Map()) {
  if (!hasTokens || typeof message !== 'object' || message === null || native.transferLive() === 0) return message;
  return revive(message, memo, new Set());
}

/** Replaces `obj[name]` (a function) by `make(original)`, keeping the property's attributes. */
function wrapMethod(obj, name, make) {
  const d = Object.getOwnPropertyDescriptor(obj, name);
  if (d === undefined || typeof d.value !== 'function') return;
  const original = d.value;
  const wrapper = make(original);
  defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  defineProperty(obj, name, { ...d, value: wrapper });
}

/** Installs the send and receive hooks in this thread (once). */
function install() {
  if (globalThis[INSTALLED]) return;
  defineProperty(globalThis, INSTALLED, { value: true });
  const workerThreads = require('node:worker_threads');
  const portProto = workerThreads.MessagePort.prototype;

  // Send: every postMessage (Worker, MessagePort, BroadcastChannel, the Worker constructor's
  // workerData) goes through MessagePort.prototype.postMessage.
  wrapMethod(portProto, 'postMessage', (original) =>
    function postMessage(message) {
      if (arguments.length === 0) return apply(original, this, arguments);
      const m = outgoing(message);
      if (m === message) return apply(original, this, arguments);
      const args = [...arguments];
      args[0] = m;
      return apply(original, this, args);
    },
  );

  // Receive: messages delivered to listeners.
  const dispatch = portProto[kHybridDispatch];
  if (typeof dispatch === 'function') {
    defineProperty(portProto, kHybridDispatch, {
      value: function (data, type, event) {
        if (type === 'message') {
          try {
            data = incoming(data);
          } catch (error) {
            // As a message Node cannot deserialize: a 'messageerror' event with the error.
            return apply(dispatch, this, [error, 'messageerror', undefined]);
          }
        }
        return apply(dispatch, this, [data, type, event]);
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }

  // receiveMessageOnPort (the exported function only; Node's internal users are unchanged).
  wrapMethod(workerThreads, 'receiveMessageOnPort', (original) =>
    function receiveMessageOnPort(port) {
      const r = apply(original, this, arguments);
      if (r !== undefined && r !== null && typeof r === 'object') r.message = incoming(r.message);
      return r;
    },
  );

  // structuredClone: tokens on the way in, objects of this thread on the way out.
  wrapMethod(globalThis, 'structuredClone', (original) =>
    function structuredClone(value) {
      const m = outgoing(value);
      if (m === value) return apply(original, this, arguments);
      const args = [...arguments];
      args[0] = m;
      return incoming(apply(original, this, args));
    },
  );

  // getEnvironmentData: the values came with the worker's start message (tokens inside are
  // revived on first read, in place; a value that is itself a token is revived once).
  const environmentMemo = new Map();
  wrapMethod(workerThreads, 'getEnvironmentData', (original) =>
    function getEnvironmentData(key) {
      const value = apply(original, this, arguments);
      if (typeof value !== 'object' || value === null) return value;
      return incoming(value, environmentMemo);
    },
  );

  // workerData: deserialized before any user code (or preload) of the worker ran.
  if (!workerThreads.isMainThread && typeof workerThreads.workerData === 'object') {
    workerThreads.workerData = incoming(workerThreads.workerData);
  }
  require('node:module').syncBuiltinESMExports();
}

module.exports = { install, outgoing, incoming };
