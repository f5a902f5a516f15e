//! Linux and macOS (and other Unix): `mmap`/`mprotect`/`munmap`, `RLIMIT_AS`, pthread stacks.

use std::ffi::c_void;

/// Reserves `len` bytes of inaccessible address space (`len > 0`), shared between the mappings
/// [`alias`] makes when `shared`. `None` when the system refuses.
pub(crate) fn reserve(len: usize, shared: bool) -> Option<*mut u8> {
    let sharing = if shared { libc::MAP_SHARED } else { libc::MAP_PRIVATE };
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let flags = sharing | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let flags = sharing | libc::MAP_ANON;
    // SAFETY: a new anonymous PROT_NONE mapping; no existing memory is touched. Checked below.
    let p = unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_NONE, flags, -1, 0) };
    (p != libc::MAP_FAILED).then_some(p as *mut u8)
}

/// Makes `len` bytes at `ptr` readable and writable (zeroed on first use).
///
/// # Safety
/// `ptr..ptr+len` must lie inside a reservation made by [`reserve`] and not yet released.
pub(crate) unsafe fn commit(ptr: *mut u8, len: usize) -> bool {
    // SAFETY: the caller's contract; mprotect only changes the protection of our own pages.
    unsafe { libc::mprotect(ptr as *mut c_void, len, libc::PROT_READ | libc::PROT_WRITE) == 0 }
}

/// Releases a reservation (or an alias) of `len` bytes at `ptr`.
///
/// # Safety
/// `ptr..ptr+len` must be a whole mapping made by [`reserve`] or [`alias`], used by nothing.
pub(crate) unsafe fn release(ptr: *mut u8, len: usize) {
    // SAFETY: the caller's contract.
    unsafe { libc::munmap(ptr as *mut c_void, len) };
}

/// The first `len` committed bytes of the shared reservation at `base` mapped once more, at a
/// new address (the same pages). Released with [`release`].
///
/// # Safety
/// `base..base+len` must be committed, in a reservation made by [`reserve`] with `shared`.
#[cfg(target_os = "linux")]
pub(crate) unsafe fn alias(base: *mut u8, len: usize) -> Option<*mut u8> {
    // SAFETY: the caller's contract; with an old size of 0, mremap maps the same shared pages at
    // a new address and leaves the original mapping alone.
    let p = unsafe { libc::mremap(base as *mut c_void, 0, len, libc::MREMAP_MAYMOVE) };
    (p != libc::MAP_FAILED).then_some(p as *mut u8)
}

/// No second mappings here (see the module table).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
#[cfg(not(target_os = "linux"))]
pub(crate) unsafe fn alias(_base: *mut u8, _len: usize) -> Option<*mut u8> {
    None
}

/// Turns the private reservation of `reserved` bytes at `base` (of which the first `committed`
/// are committed) into a shared one in place: the same address, the same contents and
/// protections, but pages that [`alias`] and [`alias_at`] can map again. `false` (nothing
/// changed) when the system refuses.
///
/// # Safety
/// `base..base+reserved` must be a whole reservation made by [`reserve`] (not shared), with
/// `committed <= reserved` committed, and no other thread may access it during the call.
#[cfg(target_os = "linux")]
pub(crate) unsafe fn share_in_place(base: *mut u8, committed: usize, reserved: usize) -> bool {
    let Some(fresh) = reserve(reserved, true) else { return false };
    // SAFETY: `fresh` is our new mapping of `reserved` bytes; made readable and writable in
    // whole (one mapping, which mremap needs), the committed bytes copied into it, then moved
    // over `base` in one step (MREMAP_FIXED replaces the old pages atomically), and the tail
    // made inaccessible again. `base` stays mapped throughout; the caller's contract excludes
    // concurrent accesses.
    unsafe {
        if !commit(fresh, reserved) {
            release(fresh, reserved);
            return false;
        }
        std::ptr::copy_nonoverlapping(base, fresh, committed);
        let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
        let p = libc::mremap(fresh as *mut c_void, reserved, reserved, flags, base as *mut c_void);
        if p == libc::MAP_FAILED {
            release(fresh, reserved);
            return false;
        }
        if committed < reserved {
            libc::mprotect(base.add(committed) as *mut c_void, reserved - committed, libc::PROT_NONE);
        }
    }
    true
}

/// No shared pages in place here (see the module table).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
#[cfg(not(target_os = "linux"))]
pub(crate) unsafe fn share_in_place(_base: *mut u8, _committed: usize, _reserved: usize) -> bool {
    false
}

/// The `len` bytes of the shared reservation at `base` mapped once more, readable and writable,
/// over the existing mapping at `target` (which it replaces: the same pages as at `base`).
///
/// # Safety
/// `base..base+len` must lie in a shared reservation made by [`reserve`] (or made shared by
/// [`share_in_place`]); `target..target+len` must be page-aligned address space that the caller
/// may replace, and nothing may rely on its old contents.
#[cfg(target_os = "linux")]
pub(crate) unsafe fn alias_at(base: *mut u8, len: usize, target: *mut u8) -> bool {
    let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
    // SAFETY: the caller's contract; with an old size of 0, mremap maps the same shared pages at
    // `target` (replacing what was there) and leaves the original mapping alone. The new mapping
    // takes the protection of the first page at `base`, so it is set explicitly.
    unsafe {
        let p = libc::mremap(base as *mut c_void, 0, len, flags, target as *mut c_void);
        p != libc::MAP_FAILED && libc::mprotect(target as *mut c_void, len, libc::PROT_READ | libc::PROT_WRITE) == 0
    }
}

/// No second mappings here (see the module table).
///
/// # Safety
/// None needed; kept `unsafe` like the Linux version.
#[cfg(not(target_os = "linux"))]
pub(crate) unsafe fn alias_at(_base: *mut u8, _len: usize, _target: *mut u8) -> bool {
    false
}

/// The soft `RLIMIT_AS` in bytes, if set.
pub(crate) fn address_space_limit() -> Option<u64> {
    let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes the local struct only.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut rl) } == 0;
    // (`rlim_t` is `u64` here but not on every Unix.)
    #[allow(clippy::unnecessary_cast)]
    let limit = rl.rlim_cur as u64;
    (ok && rl.rlim_cur != libc::RLIM_INFINITY).then_some(limit)
}

/// The lowest usable address of the calling thread's stack (above its guard page).
#[cfg(target_os = "linux")]
pub(crate) fn stack_low() -> Option<usize> {
    // SAFETY: `attr` is initialised by `pthread_getattr_np` before it is read and destroyed
    // once; the out-pointers are locals.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut c_void = std::ptr::null_mut();
        let mut size = 0usize;
        let mut guard = 0usize;
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0
            && libc::pthread_attr_getguardsize(&attr, &mut guard) == 0;
        libc::pthread_attr_destroy(&mut attr);
        // The reported stack may include the guard page at its low end (glibc's threads).
        (ok && !addr.is_null() && size > 0).then(|| addr as usize + guard)
    }
}

/// The lowest usable address of the calling thread's stack: its top minus its size.
#[cfg(target_os = "macos")]
pub(crate) fn stack_low() -> Option<usize> {
    // SAFETY: both only read the calling thread's own attributes.
    let (top, size) = unsafe {
        let me = libc::pthread_self();
        (libc::pthread_get_stackaddr_np(me) as usize, libc::pthread_get_stacksize_np(me))
    };
    (top != 0 && size != 0).then(|| top - size)
}

/// Unknown elsewhere.
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub(crate) fn stack_low() -> Option<usize> {
    None
}
