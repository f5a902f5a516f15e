'use strict';
// poll_oneoff as uvwasi: the earliest clock subscription is the timeout (absolute times are
// taken against the realtime clock, whatever the clock id; milliseconds, truncated); fd
// subscriptions need POLL_FD_READWRITE plus READ or WRITE; a closed fd gives an event with
// EBADF. Node cannot wait on a descriptor synchronously, so: regular files, directories and
// character devices that are not terminals are reported as uvwasi's epoll does (EPERM for the
// call), and terminals, pipes and sockets are reported ready at once.

const tty = require('node:tty');
const { E } = require('./errno.js');
const { R, FILETYPE, EVENTTYPE, SUBCLOCKFLAG_ABSTIME, SIZE } = require('./constants.js');
const { isU32 } = require('./check.js');
const { realtimeNs, sleepMs } = require('./clocks.js');

const pollCalls = {
  poll_oneoff(inPtr, outPtr, nsubscriptions, neventsPtr) {
    if (arguments.length !== 4 || !isU32(inPtr) || !isU32(outPtr) || !isU32(nsubscriptions) || !isU32(neventsPtr)) {
      return E.INVAL;
    }
    inPtr >>>= 0; outPtr >>>= 0; nsubscriptions >>>= 0; neventsPtr >>>= 0;
    const m = this.view();
    if (
      m.oob(inPtr, nsubscriptions * SIZE.subscription) ||
      m.oob(outPtr, nsubscriptions * SIZE.event) ||
      m.oob(neventsPtr, 4)
    ) {
      return E.OVERFLOW;
    }
    if (nsubscriptions === 0) return E.INVAL;
    m.setU32(neventsPtr, 0);

    let timeout = null; // ns
    let timerUserdata = 0n;
    const fdEvents = [];
    for (let i = 0; i < nsubscriptions; i++) {
      const sub = inPtr + i * SIZE.subscription;
      const userdata = m.u64(sub);
      const type = m.u8[sub + 8];
      if (type === EVENTTYPE.CLOCK) {
        const t = m.u64(sub + 24);
        const flags = m.dv.getUint16(sub + 40, true);
        // An absolute time already past is a zero timeout (uvwasi's unsigned subtraction would
        // wait for centuries).
        let rel = t;
        if ((flags & SUBCLOCKFLAG_ABSTIME) !== 0) {
          rel = t - realtimeNs();
          if (rel < 0n) rel = 0n;
        }
        if (timeout === null || rel < timeout) {
          timeout = rel;
          timerUserdata = userdata;
        }
      } else if (type === EVENTTYPE.FD_READ || type === EVENTTYPE.FD_WRITE) {
        const fd = m.u32(sub + 16);
        const right = type === EVENTTYPE.FD_READ ? R.FD_READ : R.FD_WRITE;
        const entry = this.table.get(fd, R.POLL_FD_READWRITE | right, 0);
        if (entry === E.BADF) {
          fdEvents.push({ userdata, type, error: E.BADF });
          continue;
        }
        if (typeof entry === 'number') return entry;
        if (!pollable(entry)) return E.PERM;
        fdEvents.push({ userdata, type, error: E.SUCCESS });
      } else {
        return E.INVAL;
      }
    }

    if (fdEvents.length === 0) {
      // Only clocks: sleep, then the earliest one fires.
      if (timeout !== null) sleepMs(Number(timeout / 1000000n));
      writeEvent(m.refresh(), outPtr, timerUserdata, E.SUCCESS, EVENTTYPE.CLOCK);
      m.setU32(neventsPtr, 1);
      return E.SUCCESS;
    }
    // Descriptors are ready at once (or carry their error).
    let n = 0;
    for (const ev of fdEvents) {
      writeEvent(m, outPtr + n * SIZE.event, ev.userdata, ev.error, ev.type);
      n++;
    }
    m.setU32(neventsPtr, n);
    return E.SUCCESS;
  },
};

/** Whether epoll could watch the descriptor (not a regular file, directory or plain device). */
function pollable(entry) {
  switch (entry.type) {
    case FILETYPE.REGULAR_FILE:
    case FILETYPE.DIRECTORY:
      return false;
    case FILETYPE.CHARACTER_DEVICE:
    case FILETYPE.BLOCK_DEVICE:
      return tty.isatty(entry.hostFd);
    default:
      return true;
  }
}

function writeEvent(m, at, userdata, error, type) {
  m.setU64(at, userdata);
  m.setU16(at + 8, error);
  m.setU8(at + 10, type);
  m.u8.fill(0, at + 11, at + 16);
  m.setU64(at + 16, 0); // nbytes
  m.setU16(at + 24, 0); // flags
  m.u8.fill(0, at + 26, at + 32);
}

module.exports = { pollCalls };
