/*
 * jitless-wasm's CoreMark port for freestanding wasm32 (no libc): configuration and types
 * that EEMBC's coremark.h expects from a port. Written for this project; see ../README.md.
 *
 * Host imports (module "env"):
 *   clock_ms() -> f64        monotonic milliseconds (e.g. performance.now())
 *   write(ptr, len)          text output (UTF-8 bytes in the exported memory)
 * Exports: run(iterations) -> i32, score() -> f64, memory (see core_portme.c).
 */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#include <stddef.h> /* clang's freestanding header: size_t, NULL, offsetof */

#define HAS_FLOAT 1
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0

#ifndef COMPILER_VERSION
#define COMPILER_VERSION "clang " __clang_version__
#endif
#ifndef COMPILER_FLAGS
#define COMPILER_FLAGS "-O2 --target=wasm32 -nostdlib"
#endif
#define MEM_LOCATION "STATIC"

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef double ee_f32;
typedef unsigned char ee_u8;
typedef unsigned int ee_u32;
typedef unsigned long long ee_u64;
typedef ee_u32 ee_ptr_int;
typedef size_t ee_size_t;

/* Rounds a pointer up to a 4-byte boundary (used by the matrix benchmark's data layout). */
#define align_mem(x) (void *)(4 + (((ee_ptr_int)(x)-1) & ~3))

/* Ticks are microseconds derived from the host's millisecond clock. */
#define CORETIMETYPE ee_u64
typedef ee_u64 CORE_TICKS;

#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STATIC
#define MULTITHREAD 1
#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0

extern ee_u32 default_num_contexts;

/* Per-run port state; main() hands it to portable_init/portable_fini. */
typedef struct CORE_PORTABLE_S {
    ee_u8 portable_id;
} core_portable;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);

#if !defined(PROFILE_RUN) && !defined(PERFORMANCE_RUN) && !defined(VALIDATION_RUN)
#if (TOTAL_DATA_SIZE == 1200)
#define PROFILE_RUN 1
#elif (TOTAL_DATA_SIZE == 2000)
#define PERFORMANCE_RUN 1
#else
#define VALIDATION_RUN 1
#endif
#endif

/* Our own small printf (wasm_printf.c): %d %i %u %x %X %c %s %f %%, flags 0 and -, width,
 * precision for %f, the l/ll length modifiers. */
int ee_printf(const char *fmt, ...);

/* Output scan state shared by wasm_printf.c and core_portme.c. */
void port_output_reset(void);
int port_output_saw(const char *needle);

#endif /* CORE_PORTME_H */
