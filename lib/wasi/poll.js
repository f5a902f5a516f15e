'use strict';
// poll_oneoff as uvwasi: the earliest clock subscription is the timeout (absolute times are
// taken against the realtime clock, whatever the clock id; milliseconds, truncated); fd
// subscriptions need POLL_FD_READWRITE plus READ or WRITE; a closed fd gives an event with
// EBADF. Regular files, directories and character devices that are not terminals are reported
// as uvwasi's epoll does (EPERM for the call). Terminals, pipes and sockets are waited for with
// poll(2) through the host calls (src/wasi_host.rs), as uvwasi's loop waits: until every
// descriptor had an event or the timeout passed; with none by then the clock's event is the one
// reported; a hang-up with no data left is readable with the HANGUP flag. Without the host
// calls (Node cannot wait on a descriptor synchronously) they are reported ready at once.

const { isatty } = require('./lazy-modules.js');
const { E } = require('./errno.js');
const { R, FILETYPE, EVENTTYPE, SUBCLOCKFLAG_ABSTIME, SIZE } = require('./constants.js');
const { isU32 } = require('./check.js');
const { realtimeNs, sleepMs } = require('./clocks.js');
const { hostCalls, hostErrno } = require('./host-calls.js');

/** Bits of the events `wasiPoll` reports per descriptor. */
const POLL = { READABLE: 1, WRITABLE: 2, DISCONNECT: 4, ERROR: 8 };
const EVENTRWFLAGS_HANGUP = 1;

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
        fdEvents.push({ userdata, type, error: E.SUCCESS, hostFd: entry.hostFd, fd });
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
    if (hostCalls !== null && fdEvents.some((ev) => ev.error === E.SUCCESS)) return waitForFds(m, fdEvents, timeout, timerUserdata, outPtr, neventsPtr);
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

/**
 * uvwasi's wait for descriptors (`timeout` in ns or null) and its events: the descriptors that
 * had one, in subscription order, with those that carry an error (EBADF) — or, when none had
 * one, the clock's event. At least one descriptor is open (with closed ones only, the events
 * are reported at once: see wasi.spec). A descriptor subscribed twice is watched once, for its first
 * subscription, and only that one reports (libuv polls a descriptor once).
 */
function waitForFds(m, fdEvents, timeout, timerUserdata, outPtr, neventsPtr) {
  const watched = [];
  for (const ev of fdEvents) {
    if (ev.error !== E.SUCCESS || fdEvents.some((o) => o !== ev && o.fd === ev.fd && o.slot !== undefined)) continue;
    ev.slot = watched.length;
    watched.push(ev);
  }
  const pairs = new Int32Array(watched.length * 2);
  watched.forEach((ev, i) => {
    pairs[2 * i] = ev.hostFd;
    pairs[2 * i + 1] = ev.type === EVENTTYPE.FD_READ ? POLL.READABLE : POLL.WRITABLE;
  });
  const ms = timeout === null ? -1 : Number(timeout / 1000000n);
  const fired = hostCalls.wasiPoll(pairs, ms);
  if (fired < 0) return hostErrno(fired);
  m.refresh();
  if (fired === 0) {
    writeEvent(m, outPtr, timerUserdata, E.SUCCESS, EVENTTYPE.CLOCK);
    m.setU32(neventsPtr, 1);
    return E.SUCCESS;
  }
  let n = 0;
  for (const ev of fdEvents) {
    let error = ev.error;
    let flags = 0;
    if (error === E.SUCCESS) {
      const seen = ev.slot === undefined ? 0 : pairs[2 * ev.slot + 1];
      if ((seen & POLL.ERROR) !== 0) error = E.IO;
      else if ((seen & POLL.DISCONNECT) !== 0) flags = EVENTRWFLAGS_HANGUP;
      else if ((seen & (POLL.READABLE | POLL.WRITABLE)) === 0) continue;
    }
    writeEvent(m, outPtr + n * SIZE.event, ev.userdata, error, ev.type, flags);
    n++;
  }
  m.setU32(neventsPtr, n);
  return E.SUCCESS;
}

/** Whether epoll could watch the descriptor (not a regular file, directory or plain device). */
function pollable(entry) {
  switch (entry.type) {
    case FILETYPE.REGULAR_FILE:
    case FILETYPE.DIRECTORY:
      return false;
    case FILETYPE.CHARACTER_DEVICE:
    case FILETYPE.BLOCK_DEVICE:
      return isatty(entry.hostFd);
    default:
      return true;
  }
}

function writeEvent(m, at, userdata, error, type, flags = 0) {
  m.setU64(at, userdata);
  m.setU16(at + 8, error);
  m.setU8(at + 10, type);
  m.u8.fill(0, at + 11, at + 16);
  m.setU64(at + 16, 0); // nbytes
  m.setU16(at + 24, flags);
  m.u8.fill(0, at + 26, at + 32);
}

module.exports = { pollCalls };
