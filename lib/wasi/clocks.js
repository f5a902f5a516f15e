'use strict';
// clock_res_get / clock_time_get as uvwasi: REALTIME and MONOTONIC in nanoseconds with a
// resolution of 1; the CPU-time clocks from the process's (and, where Node has it, the
// thread's) CPU usage. And a synchronous sleep for poll_oneoff.

const { E } = require('./errno.js');
const { CLOCK } = require('./constants.js');
const { isU32, isBig } = require('./check.js');

const hrtime = process.hrtime.bigint;

// Wall-clock time with nanosecond steps: the offset between Date.now() and the monotonic clock,
// taken once, plus the monotonic clock.
let realtimeOffset = null;
function realtimeNs() {
  if (realtimeOffset === null) realtimeOffset = BigInt(Date.now()) * 1000000n - hrtime();
  return realtimeOffset + hrtime();
}

function processCpuNs() {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
}

function threadCpuNs() {
  if (typeof process.threadCpuUsage === 'function') {
    const { user, system } = process.threadCpuUsage();
    return BigInt(user + system) * 1000n;
  }
  return processCpuNs();
}

/** The time of clock `id`, or undefined for an unknown clock. */
function clockNs(id) {
  switch (id) {
    case CLOCK.REALTIME:
      return realtimeNs();
    case CLOCK.MONOTONIC:
      return hrtime();
    case CLOCK.PROCESS_CPUTIME_ID:
      return processCpuNs();
    case CLOCK.THREAD_CPUTIME_ID:
      return threadCpuNs();
    default:
      return undefined;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds. */
function sleepMs(ms) {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

const clockCalls = {
  clock_res_get(id, resolutionPtr) {
    if (arguments.length !== 2 || !isU32(id) || !isU32(resolutionPtr)) return E.INVAL;
    id >>>= 0; resolutionPtr >>>= 0;
    const m = this.view();
    if (m.oob(resolutionPtr, 8)) return E.OVERFLOW;
    if (id > CLOCK.THREAD_CPUTIME_ID) return E.INVAL;
    m.setU64(resolutionPtr, 1); // clock_getres gives 1 ns for all four on Linux
    return E.SUCCESS;
  },

  clock_time_get(id, precision, timePtr) {
    if (arguments.length !== 3 || !isU32(id) || !isBig(precision) || !isU32(timePtr)) return E.INVAL;
    id >>>= 0; timePtr >>>= 0;
    const m = this.view();
    if (m.oob(timePtr, 8)) return E.OVERFLOW;
    const t = clockNs(id);
    if (t === undefined) return E.INVAL;
    m.setU64(timePtr, t);
    return E.SUCCESS;
  },
};

module.exports = { clockCalls, clockNs, realtimeNs, sleepMs };
