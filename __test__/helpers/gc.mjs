// WasmGC in the JS-API tests (issue #13): whether an implementation compiles a GC module.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Whether `WA` compiles the GC module `bytes`: V8 as it is (from Node 22); ours in the "latest"
 * profile (the only one that executes GC), the profile restored afterwards.
 */
export function compilesGc(WA, isV8, bytes) {
  if (isV8) return WA.validate(bytes);
  const profiles = require('../../lib/profile.js');
  const before = profiles.profile();
  profiles.setProfile('latest');
  try {
    return WA.validate(bytes);
  } finally {
    profiles.setProfile(before);
  }
}
