'use strict';
// The native binding (generated loader `binding.js`, built by `napi build`).
module.exports = require('../binding.js');
