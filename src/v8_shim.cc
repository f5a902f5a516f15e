// The one thing Node-API 8 cannot do for us: a fixed-length SharedArrayBuffer over bytes we own.
//
// `WebAssembly.Memory.prototype.buffer` of a shared memory is, in V8, a non-growable
// SharedArrayBuffer of the memory's current size, a new object after each grow, all over the
// same bytes (https://webassembly.github.io/threads/js-api/#dom-memory-buffer). Node-API can
// only make SharedArrayBuffers that V8 allocates, so this file (built by `build.rs` with the
// `cc` crate against the V8 headers that ship with Node) calls V8's public C++ API, which the
// node binary exports, as `nan`-style addons do. Only compiled when the headers are found (the
// binding's `jitless_v8_shim` cfg); `src/v8_sab.rs` is its Rust side.

#include <cstddef>
#include <memory>
#include <utility>

#include "js_native_api_types.h"
#include "v8-array-buffer.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"

extern "C" {

// Makes a non-growable SharedArrayBuffer of `length` bytes at `data` in the isolate of the
// calling thread and stores it in `*result` as a `napi_value`. V8 calls
// `deleter(data, length, deleter_data)` exactly once, on any thread, when the last
// SharedArrayBuffer over this backing store (in any isolate: posted to Workers, say) is freed;
// if no buffer could be made it is called before returning. Returns 0 on success.
//
// Must run inside a Node-API callback (or an open Node-API handle scope) of the calling
// thread's environment: the result is a handle of the current V8 HandleScope.
int jitless_wasm_shared_array_buffer(void* data, size_t length,
                                     v8::BackingStore::DeleterCallback deleter,
                                     void* deleter_data, napi_value* result) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) {
    deleter(data, length, deleter_data);
    return 1;
  }
  // From here on the backing store owns `deleter_data`.
  std::shared_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(data, length, deleter, deleter_data);
  v8::Local<v8::Value> sab = v8::SharedArrayBuffer::New(isolate, std::move(store));
  // In Node a napi_value is the address of a V8 handle slot, as `Local<Value>` is
  // (`v8impl::JsValueFromV8LocalValue`).
  *result = reinterpret_cast<napi_value>(*sab);
  return 0;
}

}  // extern "C"
