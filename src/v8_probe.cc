// Which parts of the V8 shim this process can use (`src/v8_api.rs` is the Rust side).
//
// The shim's V8 symbols are weak references (`src/v8_weak.h`): in a host that does not export
// one (Deno, Bun) it is null. This file takes their addresses, without including the V8
// headers (each symbol is declared here by its mangled name only), and reports a part as usable
// only if every symbol it calls resolved AND the host is Node (it exports `node::Start`): Bun
// exports a few V8 names of its own (`v8::Isolate::GetCurrent`, `v8::HandleScope`) that are not
// V8, and the shim's Node-API/V8 handle conversions are Node's.

#include <cstdint>
#include <initializer_list>

#define JITLESS_WEAK(name, mangled) extern "C" const char name __asm__(mangled) __attribute__((weak))

JITLESS_WEAK(node_start, "_ZN4node5StartEiPPc");
JITLESS_WEAK(backing_store_drop, "_ZN2v812BackingStoreD1Ev");
JITLESS_WEAK(sab_new_backing_store, "_ZN2v817SharedArrayBuffer15NewBackingStoreEPvmPFvS1_mS1_ES1_");
JITLESS_WEAK(sab_new, "_ZN2v817SharedArrayBuffer3NewEPNS_7IsolateESt10shared_ptrINS_12BackingStoreEE");
JITLESS_WEAK(script_run, "_ZN2v86Script3RunENS_5LocalINS_7ContextEEE");
JITLESS_WEAK(script_compile,
             "_ZN2v86Script7CompileENS_5LocalINS_7ContextEEENS1_INS_6StringEEEPNS_12ScriptOriginE");
JITLESS_WEAK(string_literal, "_ZN2v86String18NewFromUtf8LiteralEPNS_7IsolateEPKcNS_13NewStringTypeEi");
JITLESS_WEAK(isolate_current, "_ZN2v87Isolate10GetCurrentEv");
JITLESS_WEAK(isolate_set_stack_limit, "_ZN2v87Isolate13SetStackLimitEm");
JITLESS_WEAK(isolate_current_context, "_ZN2v87Isolate17GetCurrentContextEv");
JITLESS_WEAK(isolate_terminate, "_ZN2v87Isolate18TerminateExecutionEv");
JITLESS_WEAK(isolate_low_memory, "_ZN2v87Isolate21LowMemoryNotificationEv");
JITLESS_WEAK(sab_byte_length, "_ZNK2v817SharedArrayBuffer10ByteLengthEv");
JITLESS_WEAK(sab_data, "_ZNK2v817SharedArrayBuffer4DataEv");
JITLESS_WEAK(value_is_sab, "_ZNK2v85Value19IsSharedArrayBufferEv");

namespace {

// Whether every address is non-null. (Through a volatile read: a compiler may not assume a
// weak symbol's address is non-null, but this keeps the check in the binary in any case.)
bool all(std::initializer_list<const char*> symbols) {
  for (const char* s : symbols) {
    const char* volatile address = s;
    if (address == nullptr) return false;
  }
  return true;
}

}  // namespace

extern "C" {

// Bit 0: SharedArrayBuffers over our bytes and the transfer tokens (`src/v8_shim.cc`);
// bit 1: the JS stack limit (`src/v8_stack.cc`); bit 2: termination (`src/v8_terminate.cc`);
// bit 3: a full GC (`LowMemoryNotification`); bit 4: the host is Node.
uint32_t jitless_wasm_v8_features() {
  if (!all({&node_start})) return 0;
  uint32_t bits = 1u << 4;
  if (all({&isolate_current, &backing_store_drop, &sab_new_backing_store, &sab_new, &sab_byte_length, &sab_data,
           &value_is_sab}))
    bits |= 1u << 0;
  if (all({&isolate_current, &isolate_set_stack_limit})) bits |= 1u << 1;
  // (No HandleScope: `v8_terminate.cc` uses the Node-API callback's scope; V8 14 no longer
  // exports HandleScope's constructor.)
  if (all({&isolate_current, &isolate_terminate, &isolate_current_context, &string_literal, &script_compile,
           &script_run}))
    bits |= 1u << 2;
  if (all({&isolate_current, &isolate_low_memory})) bits |= 1u << 3;
  return bits;
}

}  // extern "C"
