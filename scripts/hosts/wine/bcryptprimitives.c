// A stand-in for Windows' bcryptprimitives.dll, for running the Windows addon under Wine 8
// (Debian 12's wine64) only: Rust's standard library imports `ProcessPrng` from it (Windows 10
// and later have it; Wine has it since 9.x). Built by scripts/hosts/fetch.sh with MinGW next to
// the Windows node.exe in .hosts/node-win/; never shipped.
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);  // RtlGenRandom (advapi32)

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG n = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    length -= n;
  }
  return TRUE;
}
