// Makes V8 stop the current thread's JS *now*, after wasm was interrupted because Node is
// stopping the thread (`src/interrupt.rs`).
//
// Node stops a Worker by asking V8 to terminate its JS (`Isolate::TerminateExecution`), which
// V8 acts on at its next interrupt check: a JS function's entry or a loop back-edge. When an
// interrupted Exported Function returns to V8 without an exception (Node-API cannot throw any
// more: the environment refuses to run JS), the JS that called it would run on until such a
// check, seeing `undefined` as the wasm function's result. Running a trivial script here reaches
// that check inside the callback, so the termination is pending when the callback returns and
// V8 unwinds the calling JS at once, as it does for its own wasm. Built by `build.rs` with the
// V8 shim (cfg `jitless_v8_shim`).
//
// No `v8::HandleScope` here: the handles go to the scope of the Node-API callback this runs in.
// (V8 14, in Node 26, inlines HandleScope's constructor and no longer exports it: an addon built
// on Node 20 that constructs one does not load on Node 26, "undefined symbol
// _ZN2v811HandleScopeC1EPNS_7IsolateE".)

#include "v8_weak.h"

#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"
#include "v8-primitive.h"
#include "v8-script.h"

extern "C" {

// Requests termination of the calling thread's isolate and reaches V8's interrupt check, so
// that the termination is propagating when the current callback returns. Must run inside a
// Node-API callback of that thread, only when the thread is being stopped.
void jitless_wasm_terminate_now() {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return;
  isolate->TerminateExecution();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (context.IsEmpty()) return;
  v8::Local<v8::String> source = v8::String::NewFromUtf8Literal(isolate, "0");
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> ignored;
  if (v8::Script::Compile(context, source).ToLocal(&script) && script->Run(context).ToLocal(&ignored)) {
    // Not reached while the thread is being stopped: the script's entry throws V8's termination.
  }
}

}  // extern "C"
