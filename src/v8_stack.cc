// The JS stack limit of the calling thread's isolate (`v8::Isolate::SetStackLimit`), which
// Node-API cannot set. Built with the other V8 shim code by `build.rs` (cfg `jitless_v8_shim`);
// `src/stack_limit.rs` is its Rust side.

#include "v8_weak.h"

#include <cstdint>

#include "v8-isolate.h"

extern "C" {

// Sets the JS stack limit of the current thread's isolate to `limit` (an address in this
// thread's stack: JS code throws a RangeError when the stack reaches below it). Returns 0 on
// success, 1 if the thread has no current isolate.
int jitless_wasm_set_stack_limit(uintptr_t limit) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return 1;
  isolate->SetStackLimit(limit);
  return 0;
}

}  // extern "C"
