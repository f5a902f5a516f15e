'use strict';
// `require('jitless-wasm/latest')`: the namespace, with the process-wide feature profile switched
// to "latest" (WebAssembly 3.0 without GC; see lib/profile.js).
require('./lib/profile.js').setProfile('latest');
module.exports = require('./index.js');
