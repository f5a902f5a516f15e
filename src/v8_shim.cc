// The one thing Node-API 8 cannot do for us: SharedArrayBuffers over bytes we own.
//
// `WebAssembly.Memory.prototype.buffer` of a shared memory is, in V8, a non-growable
// SharedArrayBuffer of the memory's current size, a new object after each grow, all over the
// same bytes (https://webassembly.github.io/threads/js-api/#dom-memory-buffer). Node-API can
// only make SharedArrayBuffers that V8 allocates, so this file (built by `build.rs` with the
// `cc` crate against the V8 headers that ship with Node) calls V8's public C++ API, which the
// node binary exports, as `nan`-style addons do. Only compiled when the headers are found (the
// binding's `jitless_v8_shim` cfg); `src/v8_sab.rs` is its Rust side. Every V8 symbol is a weak
// reference (`v8_weak.h`) and only called once `src/v8_api.rs` found them all in a Node host.
//
// A backing store is handed to Rust as an opaque owning pointer (`Store`: a heap
// `std::shared_ptr<v8::BackingStore>`, or `WeakStore`: a heap `std::weak_ptr`), so one backing
// store can get SharedArrayBuffer objects in several isolates (threads), as postMessage does.

#include "v8_weak.h"

#include <cstddef>
#include <cstring>
#include <memory>
#include <utility>

#include "js_native_api_types.h"
#include "v8-array-buffer.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"

namespace {

using Store = std::shared_ptr<v8::BackingStore>;
using WeakStore = std::weak_ptr<v8::BackingStore>;

}  // namespace

extern "C" {

// A new backing store of `length` bytes at `data` (no isolate needed), returned as an owning
// `Store*` (never null). V8 calls `deleter(data, length, deleter_data)` exactly once, on any
// thread, when the last owner (a `Store*`, or a SharedArrayBuffer in any isolate) is gone.
void* jitless_wasm_store_new(void* data, size_t length,
                             v8::BackingStore::DeleterCallback deleter,
                             void* deleter_data) {
  std::unique_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(data, length, deleter, deleter_data);
  return new Store(std::move(store));
}

// Releases a `Store*`.
void jitless_wasm_store_drop(void* store) { delete static_cast<Store*>(store); }

// A weak pointer (`WeakStore*`, never null) to the backing store of a `Store*`.
void* jitless_wasm_store_downgrade(void* store) {
  return new WeakStore(*static_cast<Store*>(store));
}

// A new `Store*` for the backing store of a `WeakStore*`, or null if it is gone.
void* jitless_wasm_weak_upgrade(void* weak) {
  Store store = static_cast<WeakStore*>(weak)->lock();
  return store ? new Store(std::move(store)) : nullptr;
}

// Releases a `WeakStore*`.
void jitless_wasm_weak_drop(void* weak) { delete static_cast<WeakStore*>(weak); }

// A new SharedArrayBuffer over the backing store of a `Store*` in the isolate of the calling
// thread, stored in `*result` as a `napi_value`. Returns 0 on success.
//
// Must run inside a Node-API callback (or an open Node-API handle scope) of the calling
// thread's environment: the result is a handle of the current V8 HandleScope.
int jitless_wasm_store_sab(void* store, napi_value* result) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return 1;
  v8::Local<v8::Value> sab =
      v8::SharedArrayBuffer::New(isolate, *static_cast<Store*>(store));
  // In Node a napi_value is the address of a V8 handle slot, as `Local<Value>` is
  // (`v8impl::JsValueFromV8LocalValue`).
  *result = reinterpret_cast<napi_value>(*sab);
  return 0;
}

// The data pointer of `value` if it is a SharedArrayBuffer (else null), and its length.
void* jitless_wasm_sab_data(napi_value value, size_t* length) {
  // The inverse of the conversion above (`v8impl::V8LocalValueFromJsValue`).
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(value), "a Local is one pointer");
  std::memcpy(static_cast<void*>(&local), &value, sizeof(value));
  if (local.IsEmpty() || !local->IsSharedArrayBuffer()) return nullptr;
  v8::Local<v8::SharedArrayBuffer> sab = local.As<v8::SharedArrayBuffer>();
  *length = sab->ByteLength();
  return sab->Data();
}

// ----- reclaim (src/reclaim.rs) ---------------------------------------------------------------

// Runs a full garbage collection of the calling thread's isolate now (V8's
// `LowMemoryNotification`), so that weak references to unreachable objects are cleared before
// the binding sweeps them; Node-API finalizers still run later, from the event loop. Returns 0,
// or 1 without an isolate. Must run on the isolate's thread, inside a Node-API callback.
int jitless_wasm_low_memory_notification() {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return 1;
  isolate->LowMemoryNotification();
  return 0;
}

}  // extern "C"
