'use strict';
// Path resolution inside a directory descriptor, and the sandbox: a path never leaves the
// descriptor's directory. Paths are latin1 strings (one char per byte) so any byte survives.
//
// Rules (uvwasi's, made strict where uvwasi lets a path out):
// - an absolute path is ENOTCAPABLE; a NUL byte is EINVAL;
// - `.` and `..` are applied lexically first; `..` above the directory is ENOTCAPABLE;
// - then every symbolic link on the way is resolved here, not by the host: each intermediate
//   component, and the last one when LOOKUP_SYMLINK_FOLLOW is set (uvwasi leaves intermediate
//   links to the host, which lets `link/x` escape when `link` points outside). A relative link
//   target is taken from the link's directory, an absolute one from the descriptor's mapped path
//   (the preopen's name; re-rooted when that name is relative such as `.`): a target outside is
//   ENOTCAPABLE; more than 32 links is ELOOP;
// - the resulting host path contains no symbolic link except, without FOLLOW, the last component.

const fs = require('node:fs');
const { E } = require('./errno.js');
const { hostCalls } = require('./host-calls.js');

const MAX_SYMLINK_FOLLOWS = 32;

/**
 * uvwasi's normalisation of a path: `.` dropped, `..` applied (kept at the start of a relative
 * path), `/` collapsed; '' becomes '.' (or '/'); a trailing slash is kept.
 */
function normalize(path) {
  const absolute = path.startsWith('/');
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0 || out[out.length - 1] === '..') {
        if (!absolute) out.push('..');
      } else {
        out.pop();
      }
    } else {
      out.push(part);
    }
  }
  let result = (absolute ? '/' : '') + out.join('/');
  if (result === '') result = absolute ? '/' : '.';
  if (path.length > 1 && path.endsWith('/') && !result.endsWith('/')) result += '/';
  return result;
}

/** Applies `parts` (split components) onto `stack`; false when `..` climbs above the root. */
function push(stack, parts) {
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return false;
      stack.pop();
    } else {
      stack.push(part);
    }
  }
  return true;
}

/** The components of an absolute link target below the descriptor's mapped path, or null. */
function underMapped(entry, target) {
  const base = entry.normalized;
  if (!base.startsWith('/')) return target.split('/'); // a relative mapped path: re-rooted
  const baseParts = base.split('/').filter((p) => p !== '');
  const stack = [];
  if (!push(stack, target.split('/'))) return null;
  for (let i = 0; i < baseParts.length; i++) if (stack[i] !== baseParts[i]) return null;
  return stack.slice(baseParts.length);
}

/** The host path of components below the descriptor's real path. */
function hostOf(entry, parts, trailingSlash) {
  if (parts.length === 0) return entry.realPath;
  return `${entry.realPath}/${parts.join('/')}${trailingSlash ? '/' : ''}`;
}

/** lstat of a latin1 host path, or null when it does not exist (or a component is no directory). */
function lstatOrNull(host) {
  try {
    return fs.lstatSync(Buffer.from(host, 'latin1'), { throwIfNoEntry: false }) || null;
  } catch {
    return null;
  }
}

/** The host's realpath of a latin1 host path (latin1), or null when it cannot be resolved. */
function realpathOrNull(host) {
  try {
    return fs.realpathSync.native(Buffer.from(host, 'latin1'), { encoding: 'latin1' });
  } catch {
    return null;
  }
}

/**
 * Directories (host paths) found to be their own realpath, so the many lookups of a directory
 * walk make one realpath(3) per directory. Kept while no WASI call in this process (any thread)
 * has renamed, removed, unlinked or linked anything (`wasiPathGeneration`, with the host calls
 * only); a change made outside WASI while a program runs is as racy as it is for uvwasi.
 */
const realDirs = new Set();
const REAL_DIRS_MAX = 4096;
let realDirsGeneration = -1;

/** Whether the host path `host` (latin1) is its own realpath: it exists and has no link on the way. */
function isRealPath(host) {
  if (hostCalls === null) return realpathOrNull(host) === host;
  const generation = hostCalls.wasiPathGeneration();
  if (generation !== realDirsGeneration || realDirs.size >= REAL_DIRS_MAX) {
    realDirs.clear();
    realDirsGeneration = generation;
  }
  if (realDirs.has(host)) return true;
  if (!hostCalls.wasiIsRealPath(host)) return false;
  realDirs.add(host);
  return true;
}

/** Whether a host path (latin1) names a symbolic link; false when it does not exist. */
function isSymlink(host) {
  if (hostCalls !== null) return hostCalls.wasiIsSymlink(host);
  const st = lstatOrNull(host);
  return st !== null && st.isSymbolicLink();
}

/** A WASI call may have replaced a directory: forgets the directories known to be real. */
function pathsChanged() {
  if (hostCalls !== null) hostCalls.wasiPathsChanged();
}

/**
 * Resolves `path` (latin1) against directory entry `entry`. Returns `{ host, trailingSlash }`
 * (the host path as a latin1 string) or a WASI errno. With `lastLinkByCaller` (and `follow`),
 * the fast path leaves the last component unchecked and says so (`lastUnchecked`): the caller
 * lstat()s it anyway, and resolves again without this when it is a link.
 */
function resolve(entry, path, follow, lastLinkByCaller = false) {
  if (path.startsWith('/')) return E.NOTCAPABLE;
  if (path.length === 0 || path.includes('\0')) return E.INVAL;
  const trailingSlash = path.endsWith('/');
  let parts = [];
  if (!push(parts, path.split('/'))) return E.NOTCAPABLE;
  // Fast path: no symbolic link on the way, the common case: the directory holding the last
  // component is its own realpath (one realpath(3) per directory, remembered), and the last
  // component, when it is followed, is no link.
  const checked = follow || trailingSlash ? parts.length : parts.length - 1;
  if (checked === 0) return { host: hostOf(entry, parts, trailingSlash), trailingSlash };
  const plain = hostOf(entry, parts, false);
  if (parts.length === 1 || isRealPath(plain.slice(0, plain.lastIndexOf('/')))) {
    if (checked < parts.length) return { host: plain, trailingSlash };
    if (lastLinkByCaller && !trailingSlash) return { host: plain, trailingSlash, lastUnchecked: true };
    if (!isSymlink(plain)) return { host: trailingSlash ? `${plain}/` : plain, trailingSlash };
  }
  let follows = 0;
  // Walk the components; a symbolic link is replaced by its target and the walk restarts there.
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (last && !follow && !trailingSlash) break;
    const host = hostOf(entry, parts.slice(0, i + 1), false);
    const st = lstatOrNull(host);
    if (st === null) break; // does not exist: the host call reports it
    if (!st.isSymbolicLink()) {
      if (!last && !st.isDirectory()) break; // the host call reports ENOTDIR
      continue;
    }
    if (++follows >= MAX_SYMLINK_FOLLOWS) return E.LOOP;
    let target;
    try {
      target = fs.readlinkSync(Buffer.from(host, 'latin1'), { encoding: 'latin1' });
    } catch {
      break;
    }
    let next;
    if (target.startsWith('/')) {
      const below = underMapped(entry, target);
      if (below === null) return E.NOTCAPABLE;
      next = [];
      if (!push(next, below)) return E.NOTCAPABLE;
    } else {
      next = parts.slice(0, i);
      if (!push(next, target.split('/'))) return E.NOTCAPABLE;
    }
    if (!push(next, parts.slice(i + 1))) return E.NOTCAPABLE;
    parts = next;
    i = -1; // restart: the target may itself go through links
  }
  return { host: hostOf(entry, parts, trailingSlash), trailingSlash };
}

module.exports = { normalize, resolve, pathsChanged };
