/*
 * jitless-wasm's CoreMark port for freestanding wasm32: seeds, timing through the host's
 * clock, the run/score exports. Written for this project; see ../README.md.
 *
 * run(iterations) runs EEMBC's main() (compiled as coremark_main) once with the standard
 * performance-run seeds 0, 0, 0x66 and the given iteration count (0 = CoreMark's own automatic
 * choice, about 10 s or more). It returns
 *   crcfinal (0..0xffff)  when CoreMark recognised the performance-run parameters and found its
 *                         list, matrix and state CRCs equal to its known values,
 *   -1                    when CoreMark did not recognise the parameters (seed CRC unknown),
 *   -2                    when CoreMark reported a CRC error,
 *   -3                    for a negative iteration count (nothing is run).
 * score() returns CoreMark's own iterations per second of the last run, timed with clock_ms.
 */
#include "coremark.h"

__attribute__((import_module("env"), import_name("clock_ms"))) double host_clock_ms(void);

int coremark_main(void);

ee_u32 default_num_contexts = 1;

/* Seeds as CoreMark's SEED_VOLATILE method reads them: 1-3 the data seeds (the performance
 * run's 0, 0, 0x66), 4 the iteration count (set by run), 5 the algorithm mask (0 = all). */
volatile ee_s32 seed1_volatile = 0;
volatile ee_s32 seed2_volatile = 0;
volatile ee_s32 seed3_volatile = 0x66;
volatile ee_s32 seed4_volatile = 0;
volatile ee_s32 seed5_volatile = 0;

static CORE_TICKS start_ticks, stop_ticks;
static ee_u16 last_crc;
static ee_s16 last_err;
static double last_score;

static CORE_TICKS now_ticks(void) { return (CORE_TICKS)(host_clock_ms() * 1000.0); }

void start_time(void) { start_ticks = now_ticks(); }

void stop_time(void) { stop_ticks = now_ticks(); }

CORE_TICKS get_time(void) { return stop_ticks - start_ticks; }

secs_ret time_in_secs(CORE_TICKS ticks) { return (secs_ret)ticks / 1000000.0; }

void portable_init(core_portable *p, int *argc, char *argv[]) {
    (void)argc;
    (void)argv;
    p->portable_id = 1;
    port_output_reset();
}

void portable_fini(core_portable *p) {
    /* main() passes &results[0].port: recover the enclosing results record. */
    core_results *r = (core_results *)((char *)p - offsetof(core_results, port));
    double secs = time_in_secs(get_time());
    p->portable_id = 0;
    last_crc = r->crc;
    last_err = r->err;
    last_score = secs > 0 ? (double)r->iterations / secs : 0.0;
}

__attribute__((export_name("run"))) int run(int iterations) {
    if (iterations < 0)
        return -3;
    seed4_volatile = iterations;
    last_err = -1;
    last_score = 0.0;
    coremark_main();
    if (!port_output_saw("2K performance run parameters for coremark."))
        return -1;
    if (last_err != 0 || port_output_saw("ERROR! list crc") || port_output_saw("ERROR! matrix crc")
        || port_output_saw("ERROR! state crc"))
        return -2;
    return last_crc;
}

__attribute__((export_name("score"))) double score(void) { return last_score; }
