// The command-line options of the fuzz runners (index.mjs, differential.mjs, malformed.mjs).

/** Parses `args`; `count` defaults to `defaultCount`. */
export function parseOptions(args, defaultCount) {
  const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
  const batch = opt('batch');
  return {
    seed: Number(opt('seed', 1)),
    count: Number(opt('count', defaultCount)),
    from: Number(opt('from', 0)),
    ...(batch ? { batch: Number(batch) } : {}),
    maxSize: Number(opt('max-size', 1 << 20)),
    timeoutMs: Number(opt('timeout', 20)) * 1000,
    keep: opt('keep'),
    quiet: args.includes('--quiet'),
    build: !args.includes('--no-build'),
    kind: opt('kind'),
    profile: opt('profile', 'node20'),
  };
}
