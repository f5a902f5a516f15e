'use strict';
// WASI preview1 errno values (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#errno)
// and the mapping from Node's `fs` error codes (libuv's names) to them, as uvwasi translates them.

const NAMES = [
  'SUCCESS', '2BIG', 'ACCES', 'ADDRINUSE', 'ADDRNOTAVAIL', 'AFNOSUPPORT', 'AGAIN', 'ALREADY',
  'BADF', 'BADMSG', 'BUSY', 'CANCELED', 'CHILD', 'CONNABORTED', 'CONNREFUSED', 'CONNRESET',
  'DEADLK', 'DESTADDRREQ', 'DOM', 'DQUOT', 'EXIST', 'FAULT', 'FBIG', 'HOSTUNREACH', 'IDRM',
  'ILSEQ', 'INPROGRESS', 'INTR', 'INVAL', 'IO', 'ISCONN', 'ISDIR', 'LOOP', 'MFILE', 'MLINK',
  'MSGSIZE', 'MULTIHOP', 'NAMETOOLONG', 'NETDOWN', 'NETRESET', 'NETUNREACH', 'NFILE', 'NOBUFS',
  'NODEV', 'NOENT', 'NOEXEC', 'NOLCK', 'NOLINK', 'NOMEM', 'NOMSG', 'NOPROTOOPT', 'NOSPC', 'NOSYS',
  'NOTCONN', 'NOTDIR', 'NOTEMPTY', 'NOTRECOVERABLE', 'NOTSOCK', 'NOTSUP', 'NOTTY', 'NXIO',
  'OVERFLOW', 'OWNERDEAD', 'PERM', 'PIPE', 'PROTO', 'PROTONOSUPPORT', 'PROTOTYPE', 'RANGE', 'ROFS',
  'SPIPE', 'SRCH', 'STALE', 'TIMEDOUT', 'TXTBSY', 'XDEV', 'NOTCAPABLE',
];

/** `E.NOENT === 44`, … (E.SUCCESS is 0). */
const E = Object.freeze(Object.fromEntries(NAMES.map((name, i) => [name, i])));

// Host error codes that are not `E<name>` of a WASI errno with the same name.
const ALIASES = { EOPNOTSUPP: E.NOTSUP, EWOULDBLOCK: E.AGAIN, ENOTCAPABLE: E.NOTCAPABLE };

/**
 * The WASI errno for an error thrown by a Node `fs` call (its `code`, e.g. 'ENOENT'); errors
 * that are not system errors (a JS bug) are rethrown. libuv codes without a WASI errno give
 * ENOSYS, as uvwasi's translation does.
 */
function errnoOf(error) {
  const code = error && error.code;
  if (typeof code !== 'string' || !code.startsWith('E') || typeof error.syscall !== 'string') {
    if (error && error.code === 'ERR_FS_FILE_TOO_LARGE') return E.FBIG;
    throw error;
  }
  return errnoOfCode(code);
}

/** The WASI errno of a host error code such as 'ENOENT' (ENOSYS when WASI has none). */
function errnoOfCode(code) {
  if (code in ALIASES) return ALIASES[code];
  const n = E[code.slice(1)];
  return n === undefined || n === 0 ? E.NOSYS : n;
}

module.exports = { E, errnoOf, errnoOfCode };
