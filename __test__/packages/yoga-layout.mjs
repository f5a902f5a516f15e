// Workload for yoga-layout (Meta's flexbox engine; C++ compiled with Emscripten, wasm embedded as
// base64 and instantiated at import): builds node trees with flex-direction, wrap, grow/shrink,
// padding/margin/border, percentages, absolute positioning, gaps, aspect ratio, RTL and a
// JS measure function, computes layouts and prints every node's computed layout. Also a larger
// generated tree, laid out repeatedly with changing widths. The test compares the sha256 of
// the output.
import Yoga, { Align, Direction, Display, Edge, FlexDirection, Gutter, Justify, MeasureMode, PositionType, Wrap } from 'yoga-layout';

const lines = [];
const round = (v) => (Number.isNaN(v) ? 'NaN' : Math.round(v * 1000) / 1000);

function dump(node, path = 'root') {
  const l = node.getComputedLayout();
  lines.push(`${path} l=${round(l.left)} t=${round(l.top)} w=${round(l.width)} h=${round(l.height)} ` +
    `pad=${round(node.getComputedPadding(Edge.Left))},${round(node.getComputedPadding(Edge.Top))} ` +
    `mar=${round(node.getComputedMargin(Edge.Right))} bor=${round(node.getComputedBorder(Edge.Bottom))}`);
  for (let i = 0; i < node.getChildCount(); i++) dump(node.getChild(i), `${path}/${i}`);
}

// 1. A page-like layout: header, sidebar + content, footer.
{
  const root = Yoga.Node.create();
  root.setWidth(800);
  root.setHeight(600);
  root.setPadding(Edge.All, 10);
  root.setFlexDirection(FlexDirection.Column);
  const header = Yoga.Node.create();
  header.setHeight(60);
  header.setMargin(Edge.Bottom, 5);
  const body = Yoga.Node.create();
  body.setFlexGrow(1);
  body.setFlexDirection(FlexDirection.Row);
  body.setGap(Gutter.Column, 8);
  const side = Yoga.Node.create();
  side.setWidthPercent(25);
  side.setMinWidth(150);
  side.setBorder(Edge.All, 2);
  const content = Yoga.Node.create();
  content.setFlexGrow(1);
  content.setFlexWrap(Wrap.Wrap);
  content.setFlexDirection(FlexDirection.Row);
  content.setAlignContent(Align.FlexStart);
  content.setPadding(Edge.Horizontal, 12);
  for (let i = 0; i < 9; i++) {
    const card = Yoga.Node.create();
    card.setWidth(100 + (i % 3) * 40);
    card.setHeight(80 + (i % 2) * 30);
    card.setMargin(Edge.All, 4);
    if (i === 4) card.setFlexGrow(1);
    content.insertChild(card, i);
  }
  const badge = Yoga.Node.create();
  badge.setPositionType(PositionType.Absolute);
  badge.setPosition(Edge.Right, 10);
  badge.setPosition(Edge.Top, 10);
  badge.setWidth(30);
  badge.setAspectRatio(1);
  content.insertChild(badge, 9);
  body.insertChild(side, 0);
  body.insertChild(content, 1);
  const footer = Yoga.Node.create();
  footer.setHeight(40);
  footer.setJustifyContent(Justify.SpaceBetween);
  footer.setFlexDirection(FlexDirection.Row);
  for (let i = 0; i < 3; i++) {
    const f = Yoga.Node.create();
    f.setWidth(50);
    footer.insertChild(f, i);
  }
  root.insertChild(header, 0);
  root.insertChild(body, 1);
  root.insertChild(footer, 2);
  for (const dir of [Direction.LTR, Direction.RTL]) {
    root.calculateLayout(undefined, undefined, dir);
    lines.push(`page dir=${dir}`);
    dump(root);
  }
  root.freeRecursive();
}

// 2. Text-like leaves with a JS measure function (called back from wasm).
{
  let calls = 0;
  const root = Yoga.Node.create();
  root.setWidth(300);
  root.setFlexDirection(FlexDirection.Row);
  root.setFlexWrap(Wrap.Wrap);
  root.setAlignItems(Align.Baseline);
  const words = ['flexbox', 'layout', 'in', 'WebAssembly', 'without', 'a', 'JIT', 'compiler', 'at', 'all'];
  words.forEach((w, i) => {
    const leaf = Yoga.Node.create();
    leaf.setMeasureFunc((width, widthMode, height, heightMode) => {
      calls++;
      const natural = w.length * 7.5;
      const wOut = widthMode === MeasureMode.Undefined ? natural : Math.min(natural, width);
      const lineCount = Math.ceil(natural / Math.max(wOut, 1));
      return { width: wOut, height: lineCount * 16 };
    });
    leaf.setMargin(Edge.Right, 3);
    leaf.setFlexShrink(1);
    root.insertChild(leaf, i);
  });
  root.calculateLayout(undefined, undefined, Direction.LTR);
  lines.push(`text measureCalls>0 ${calls > 0}`);
  dump(root, 'text');
  root.freeRecursive();
}

// 3. A generated tree (deterministic), laid out at several widths.
{
  let x = 123456789;
  const rnd = (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
  const build = (depth) => {
    const n = Yoga.Node.create();
    n.setFlexDirection(rnd(2) ? FlexDirection.Row : FlexDirection.Column);
    n.setPadding(Edge.All, rnd(6));
    n.setMargin(Edge.All, rnd(4));
    if (rnd(3) === 0) n.setFlexGrow(1 + rnd(3));
    if (rnd(4) === 0) n.setWidthPercent(10 + rnd(60));
    if (rnd(5) === 0) n.setDisplay(Display.None);
    if (rnd(3) === 0) n.setFlexWrap(Wrap.Wrap);
    n.setJustifyContent([Justify.FlexStart, Justify.Center, Justify.SpaceAround, Justify.SpaceEvenly][rnd(4)]);
    if (depth === 0) {
      n.setWidth(10 + rnd(90));
      n.setHeight(10 + rnd(40));
    } else {
      const kids = 1 + rnd(4);
      for (let i = 0; i < kids; i++) n.insertChild(build(depth - 1), i);
    }
    return n;
  };
  const root = build(5);
  for (const width of [320, 768, 1024, 1920]) {
    root.setWidth(width);
    root.calculateLayout(undefined, undefined, Direction.LTR);
    const start = lines.length;
    dump(root, `gen${width}`);
    lines.push(`gen${width} nodes=${lines.length - start}`);
  }
  root.freeRecursive();
}

process.stdout.write(lines.join('\n') + '\n');
