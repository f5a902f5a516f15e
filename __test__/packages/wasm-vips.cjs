'use strict';
// Workload for wasm-vips (libvips, Emscripten pthreads build: the module and its shared memory
// are posted to a pool of Workers, and libvips runs its pixel pipeline on several of them):
// builds a synthetic 256x192 image, runs resize, blur, sharpen, rotate, colour conversion and
// statistics, encodes PNG and JPEG, decodes them back, and prints the results with the sha256
// of each encoded file; the test compares the sha256 of this output with a native run.
const { createHash } = require('node:crypto');
const Vips = require('wasm-vips');

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function main() {
  const vips = await Vips({ dynamicLibraries: [] });
  const out = (...a) => console.log(...a);
  out('libvips', vips.version());
  vips.concurrency(4);

  // A smooth RGB image: x, y and x*y/256 in the three bands.
  const xyz = vips.Image.xyz(256, 192);
  const x = xyz.extractBand(0);
  const y = xyz.extractBand(1);
  const rgb = x.bandjoin([y, x.multiply(y).divide(256)]).cast('uchar').copy({ interpretation: 'srgb' });
  out('source', rgb.width, rgb.height, rgb.bands, rgb.avg().toFixed(6));

  const steps = {
    resize: rgb.resize(0.37),
    blur: rgb.gaussblur(2.5),
    sharpen: rgb.sharpen(),
    rotate: rgb.rotate(17),
    lab: rgb.colourspace('lab'),
    invert: rgb.invert(),
  };
  for (const [name, im] of Object.entries(steps)) {
    out(name, im.width, im.height, im.bands, im.avg().toFixed(6), im.deviate().toFixed(6), im.max().toFixed(3));
  }

  const png = rgb.gaussblur(1.2).writeToBuffer('.png');
  const jpeg = rgb.writeToBuffer('.jpg', { Q: 85 });
  out('png', png.length, sha(png));
  out('jpeg', jpeg.length, sha(jpeg));
  const back = vips.Image.newFromBuffer(jpeg);
  out('jpeg decoded', back.width, back.height, back.avg().toFixed(6));
  const hist = rgb.extractBand(0).histFind();
  out('histogram', hist.width, sha(hist.writeToMemory()));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
