// Workload for web-tree-sitter + tree-sitter-javascript (Emscripten, dynamic linking: the grammar
// is a side module loaded into the main module's imported memory and table, with mutable
// globals and a dylink.0 custom section). Parses real JavaScript files, walks the trees with a
// cursor, runs a query, edits and re-parses incrementally. Prints a summary; the test compares
// the sha256 of the output across engines.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Parser, Language, Query, Edit } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const grammarPath = require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm');
// Real JavaScript: sources shipped by the installed packages (same bytes for both engines).
const files = [
  join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.js'),
  join(dirname(require.resolve('brotli-wasm')), 'pkg.node', 'brotli_wasm.js'),
  require.resolve('tree-sitter-javascript/grammar.js'),
];
const sha = (s) => createHash('sha256').update(s).digest('hex');

await Parser.init();
const JavaScript = await Language.load(readFileSync(grammarPath));
const out = [`language ${JavaScript.name} abi ${JavaScript.abiVersion} nodeTypes ${JavaScript.nodeTypeCount} fields ${JavaScript.fieldCount}`];
const parser = new Parser();
parser.setLanguage(JavaScript);

const query = new Query(JavaScript, `
  (function_declaration name: (identifier) @fn)
  (method_definition name: (property_identifier) @method)
  (variable_declarator name: (identifier) @var value: [(arrow_function) (function_expression)])
  (call_expression function: (member_expression property: (property_identifier) @call))
  (string) @string
`);

for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const tree = parser.parse(source);
  const root = tree.rootNode;
  // Walk the whole tree with a cursor: node-type histogram, depth, named/error counts.
  const histogram = new Map();
  let nodes = 0;
  let maxDepth = 0;
  let errors = 0;
  const cursor = tree.walk();
  let depth = 0;
  const shape = createHash('sha256');
  for (;;) {
    nodes++;
    maxDepth = Math.max(maxDepth, depth);
    const type = cursor.nodeType;
    if (cursor.nodeIsNamed) histogram.set(type, (histogram.get(type) || 0) + 1);
    if (type === 'ERROR' || cursor.nodeIsMissing) errors++;
    shape.update(`${depth}:${type}:${cursor.currentFieldName ?? ''}:${cursor.startIndex}-${cursor.endIndex};`);
    if (cursor.gotoFirstChild()) { depth++; continue; }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) { depth = -1; break; }
      depth--;
    }
    if (depth < 0) break;
  }
  cursor.delete();
  const top = [...histogram].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
  const rel = file.slice(file.lastIndexOf('node_modules/') + 13);
  out.push(`${rel}: ${source.length} chars, ${nodes} nodes, depth ${maxDepth}, errors ${errors}, hasError ${root.hasError}`);
  out.push(`  shape ${shape.digest('hex')}`);
  out.push(`  top ${top.map(([t, n]) => `${t}=${n}`).join(' ')}`);
  out.push(`  sexp ${sha(root.toString())}`);

  const captures = query.captures(root);
  const byName = {};
  for (const c of captures) byName[c.name] = (byName[c.name] || 0) + 1;
  const fnNames = captures.filter((c) => c.name === 'fn').map((c) => c.node.text);
  out.push(`  captures ${JSON.stringify(byName)} first fns ${fnNames.slice(0, 6).join(',')}`);

  // Incremental re-parse after inserting a statement at the start of the second line.
  const at = source.indexOf('\n') + 1;
  const insert = 'let inserted = (a, b) => a + b;\n';
  const edited = source.slice(0, at) + insert + source.slice(at);
  tree.edit(new Edit({
    startIndex: at, oldEndIndex: at, newEndIndex: at + insert.length,
    startPosition: { row: 1, column: 0 }, oldEndPosition: { row: 1, column: 0 }, newEndPosition: { row: 2, column: 0 },
  }));
  const tree2 = parser.parse(edited, tree);
  const changed = tree.getChangedRanges(tree2);
  out.push(`  reparsed ${tree2.rootNode.descendantCount} descendants, changed ${JSON.stringify(changed.map((r) => [r.startIndex, r.endIndex]))}`);
  out.push(`  node after insert: ${tree2.rootNode.descendantForIndex(at + 4).type} ${tree2.rootNode.namedChild(1)?.type}`);
  tree2.delete();
  tree.delete();
}

// More of the API, on the first file: a second instance of the grammar (another side module
// linked into the same memory and table), input from a callback, cancellation from a progress
// callback, included ranges, and a lookahead iterator.
{
  const source = readFileSync(files[0], 'utf8');
  const again = await Language.load(grammarPath); // by path this time
  parser.setLanguage(again);
  const fromCallback = parser.parse((index) => source.slice(index, index + 1000));
  out.push(`callback input: ${fromCallback.rootNode.descendantCount} descendants, same sexp ${sha(fromCallback.rootNode.toString()) === sha(parser.parse(source).rootNode.toString())}`);
  let progressCalls = 0;
  const cancelled = parser.parse(source, null, {
    progressCallback: (state) => {
      progressCalls++;
      return state.currentOffset > 50000;
    },
  });
  out.push(`cancelled: ${cancelled === null}, progress called: ${progressCalls > 0}`);
  parser.setLanguage(JavaScript);
  const partial = parser.parse(source, null, {
    includedRanges: [{ startIndex: 0, endIndex: 2000, startPosition: { row: 0, column: 0 }, endPosition: { row: 0, column: 0 } }],
  });
  out.push(`included range: ${partial.rootNode.descendantCount} descendants, ends at ${partial.rootNode.endIndex}`);
  const lookahead = JavaScript.lookaheadIterator(fromCallback.rootNode.firstChild.parseState);
  out.push(`lookahead: ${[...lookahead].slice(0, 12).join(' ')}`);
  lookahead.delete();
  // Many small parses (allocation churn in the wasm heap).
  const counts = [];
  for (let i = 0; i < 20; i++) {
    const t = parser.parse(source.slice(0, 10000 + i * 517));
    counts.push(t.rootNode.descendantCount);
    t.delete();
  }
  out.push(`churn: ${sha(counts.join(','))}`);
  partial.delete();
  fromCallback.delete();
}

// A syntax error is reported in the tree.
const bad = parser.parse('function (x { return x +; }');
out.push(`bad: ${bad.rootNode.hasError} ${bad.rootNode.toString()}`);
bad.delete();
query.delete();
parser.delete();
process.stdout.write(out.join('\n') + '\n');
