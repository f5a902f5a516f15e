// Switches the process-wide feature profile to "latest" when evaluated. `latest.mjs` imports this
// module before `index.mjs`: ES module imports are evaluated in order before the importer's own
// body, so a `setProfile` call in `latest.mjs` itself would run after `index.mjs` had read the
// namespace's members under the running line's profile (JSTag, JSPI missing on Node 20).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./profile.js').setProfile('latest');
