// Every symbol of V8's (and Node's) C++ API the shim uses, as a *weak* reference: the addon
// then loads in hosts that do not export them (Deno, Bun, an Electron with another C++ ABI),
// where each unresolved one is null at run time instead of failing `dlopen` with
// `undefined symbol`. Nothing may call into the shim before `jitless_wasm_v8_features()`
// (`src/v8_probe.cc`) has said that every symbol of that part resolved and the host is Node.
// Included first by every shim file (a reference is weak only if every object file that
// makes it says so). Keep in sync with `src/v8_probe.cc` (`nm -D --undefined-only` on the
// built addon lists them: every `_ZN2v8`/`_ZNK2v8` line must be `w`, not `U`).
#ifndef JITLESS_WASM_V8_WEAK_H
#define JITLESS_WASM_V8_WEAK_H

#if defined(__ELF__)
__asm__(
    ".weak _ZN2v811HandleScopeC1EPNS_7IsolateE\n"
    ".weak _ZN2v811HandleScopeD1Ev\n"
    ".weak _ZN2v812BackingStoreD1Ev\n"
    ".weak _ZN2v817SharedArrayBuffer15NewBackingStoreEPvmPFvS1_mS1_ES1_\n"
    ".weak _ZN2v817SharedArrayBuffer3NewEPNS_7IsolateESt10shared_ptrINS_12BackingStoreEE\n"
    ".weak _ZN2v86Script3RunENS_5LocalINS_7ContextEEE\n"
    ".weak _ZN2v86Script7CompileENS_5LocalINS_7ContextEEENS1_INS_6StringEEEPNS_12ScriptOriginE\n"
    ".weak _ZN2v86String18NewFromUtf8LiteralEPNS_7IsolateEPKcNS_13NewStringTypeEi\n"
    ".weak _ZN2v87Isolate10GetCurrentEv\n"
    ".weak _ZN2v87Isolate13SetStackLimitEm\n"
    ".weak _ZN2v87Isolate17GetCurrentContextEv\n"
    ".weak _ZN2v87Isolate18TerminateExecutionEv\n"
    ".weak _ZN2v87Isolate21LowMemoryNotificationEv\n"
    ".weak _ZNK2v817SharedArrayBuffer10ByteLengthEv\n"
    ".weak _ZNK2v817SharedArrayBuffer4DataEv\n"
    ".weak _ZNK2v85Value19IsSharedArrayBufferEv\n");
#endif

#endif  // JITLESS_WASM_V8_WEAK_H
