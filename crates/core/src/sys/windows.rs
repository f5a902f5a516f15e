//! Windows: `VirtualAlloc`/`VirtualFree` from kernel32 (declared here: three functions do not
//! justify a bindings crate), and `GetCurrentThreadStackLimits`.

use std::ffi::c_void;

const MEM_COMMIT: u32 = 0x1000;
const MEM_RESERVE: u32 = 0x2000;
const MEM_RELEASE: u32 = 0x8000;
const PAGE_NOACCESS: u32 = 0x01;
const PAGE_READWRITE: u32 = 0x04;

#[link(name = "kernel32")]
extern "system" {
    fn VirtualAlloc(address: *mut c_void, size: usize, kind: u32, protect: u32) -> *mut c_void;
    fn VirtualFree(address: *mut c_void, size: usize, kind: u32) -> i32;
    fn GetCurrentThreadStackLimits(low: *mut usize, high: *mut usize);
}

/// Reserves `len` bytes of inaccessible address space (`len > 0`). (`shared` needs nothing
/// more here: see [`alias`].) `None` when the system refuses.
pub(crate) fn reserve(len: usize, _shared: bool) -> Option<*mut u8> {
    // SAFETY: a new reservation; no existing memory is touched. Checked for null.
    let p = unsafe { VirtualAlloc(std::ptr::null_mut(), len, MEM_RESERVE, PAGE_NOACCESS) };
    (!p.is_null()).then_some(p as *mut u8)
}

/// Commits `len` bytes at `ptr` readable and writable (zeroed).
///
/// # Safety
/// `ptr..ptr+len` must lie inside a reservation made by [`reserve`] and not yet released.
pub(crate) unsafe fn commit(ptr: *mut u8, len: usize) -> bool {
    // SAFETY: the caller's contract; committing pages of our own reservation in place.
    !unsafe { VirtualAlloc(ptr as *mut c_void, len, MEM_COMMIT, PAGE_READWRITE) }.is_null()
}

/// Releases a whole reservation made by [`reserve`].
///
/// # Safety
/// `ptr` must be the base of a reservation made by [`reserve`], used by nothing.
pub(crate) unsafe fn release(ptr: *mut u8, _len: usize) {
    // SAFETY: the caller's contract (MEM_RELEASE takes the base and a size of 0).
    unsafe { VirtualFree(ptr as *mut c_void, 0, MEM_RELEASE) };
}

/// No second mappings (that would need a file-mapping section per shared memory; the binding
/// only uses aliases with the Linux-only V8 shim).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
pub(crate) unsafe fn alias(_base: *mut u8, _len: usize) -> Option<*mut u8> {
    None
}

/// No shared pages in place (as [`alias`]).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
pub(crate) unsafe fn share_in_place(_base: *mut u8, _committed: usize, _reserved: usize) -> bool {
    false
}

/// No second mappings (as [`alias`]).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
pub(crate) unsafe fn alias_at(_base: *mut u8, _len: usize, _target: *mut u8) -> bool {
    false
}

/// No `RLIMIT_AS` on Windows.
pub(crate) fn address_space_limit() -> Option<u64> {
    None
}

/// The lowest address of the calling thread's stack (its guard pages are above it, so leave
/// them some room: the caller keeps a reserve anyway).
pub(crate) fn stack_low() -> Option<usize> {
    let (mut low, mut high) = (0usize, 0usize);
    // SAFETY: writes the two locals only.
    unsafe { GetCurrentThreadStackLimits(&mut low, &mut high) };
    // The guard region sits at the low end of the reserved stack: skip 64 KiB of it.
    (low != 0 && high > low).then(|| low + (64 << 10))
}
