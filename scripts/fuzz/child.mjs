// Runs a fuzz child process that works through a list of cases and prints, per case, a
// `{"begin": id}` line then a `{"index": id, ...}` result line. A case that crashes the child or
// makes no progress within the timeout is recorded as such, and a new child resumes after it.

import { spawn } from 'node:child_process';

/**
 * Runs `node [nodeFlags] script ...args(from)` until every case in `ids` (in order) has a
 * result; `node` is the binary (default: the one running this). Returns a Map id → result
 * line, or `{crash: how, stderr}` / `{timeout: ms}`.
 */
export async function runResumable({ node = process.execPath, nodeFlags = [], script, args, ids, timeoutMs, env }) {
  const results = new Map();
  let from = 0;
  while (from < ids.length) {
    const outcome = await runOnce({ node, nodeFlags, script, args: args(from), timeoutMs, env, results });
    const stuck = outcome.current;
    if (stuck === undefined || results.has(stuck)) {
      if (outcome.code !== 0 || outcome.signal) {
        // Died between cases: count it against the next case it had not finished.
        const next = ids.slice(from).find((id) => !results.has(id));
        if (next === undefined) break;
        results.set(next, { crash: outcome.signal || `exit ${outcome.code}`, stderr: outcome.stderr });
      }
    } else if (outcome.timedOut) {
      results.set(stuck, { timeout: timeoutMs });
    } else {
      results.set(stuck, { crash: outcome.signal || `exit ${outcome.code}`, stderr: outcome.stderr });
    }
    const pos = ids.findIndex((id) => !results.has(id));
    if (pos < 0) break;
    from = pos;
  }
  return results;
}

/** One child: resolves with how it ended and the case it was in. */
function runOnce({ node, nodeFlags, script, args, timeoutMs, env, results }) {
  return new Promise((resolvePromise) => {
    const child = spawn(node, [...nodeFlags, script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let current;
    let timedOut = false;
    let buffered = '';
    let stderr = '';
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    arm();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line);
        if ('begin' in record) {
          current = record.begin;
          arm();
        } else {
          results.set(record.index, record);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, timedOut, current, stderr });
    });
  });
}
