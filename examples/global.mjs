// MDN "Using the WebAssembly JavaScript API" (de), section "Globalen": a
// mutable i32 WebAssembly.Global shared with global.wasm. The WAT of
// global.wasm is the one shown in MDN "Understanding the text format" (ru:
// "Описание текстового формата WebAssembly"), section "Определение
// глобальных переменных WebAssembly".
//
// Changes for Node: fetch() is a local stand-in, and `document` is a
// stand-in whose output element prints what is appended to its innerText.
// Expected output:
//   Testing WebAssembly.Global exists: SUCCESS! Got: function
//   Testing getting initial value from wasm: SUCCESS! Got: 0
//   Testing getting JS-updated value from wasm: SUCCESS! Got: 42
//   Testing getting wasm-updated value from JS: SUCCESS! Got: 43
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

// The WAT from the text-format article, as written there (pre-2018 names).
const files = {
  'global.wasm': wat2wasm(`(module
   (global $g (import "js" "global") (mut i32))
   (func (export "getGlobal") (result i32)
        (get_global $g))
   (func (export "incGlobal")
        (set_global $g
            (i32.add (get_global $g) (i32.const 1))))
)`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

// Stand-in for the page: text appended to the element's innerText is printed.
const document = {
  getElementById() {
    let text = '';
    return {
      get innerText() {
        return text;
      },
      set innerText(value) {
        process.stdout.write(value.startsWith(text) ? value.slice(text.length) : value);
        text = value;
      },
    };
  },
};

const output = document.getElementById("output");

function assertEq(msg, got, expected) {
  const result =
    got === expected
      ? `SUCCESS! Got: ${got}\n`
      : `FAIL!\nGot: ${got}\nExpected: ${expected}\n`;
  output.innerText += `Testing ${msg}: ${result}`;
}

assertEq("WebAssembly.Global exists", typeof WebAssembly.Global, "function");

const global = new WebAssembly.Global({ value: "i32", mutable: true }, 0);

WebAssembly.instantiateStreaming(fetch("global.wasm"), { js: { global } }).then(
  ({ instance }) => {
    assertEq(
      "getting initial value from wasm",
      instance.exports.getGlobal(),
      0,
    );
    global.value = 42;
    assertEq(
      "getting JS-updated value from wasm",
      instance.exports.getGlobal(),
      42,
    );
    instance.exports.incGlobal();
    assertEq("getting wasm-updated value from JS", global.value, 43);
  },
);
