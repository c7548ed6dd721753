// `npm run size`: what the script-tag path costs a page, brotli-compressed, against the budgets
// of issue 7 (≤ 14 KB before a bubble is opened, ≤ 34 KB after the first reply). Reports only:
// the budgets are not met yet, so CI does not enforce them (see README, "Size").
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = 'dist';
const files = readdirSync(dist);
const markdownChunk = files.find((name) => /^thinnest-chat\.markdown-.*\.js$/.test(name));
if (!files.includes('thinnest-chat.min.js') || !markdownChunk) {
  console.error('Run npm run build first: dist/thinnest-chat.min.js and its chunks are missing.');
  process.exit(1);
}
const measure = (name) => {
  const bytes = readFileSync(`${dist}/${name}`);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const sum = (names) =>
  names.map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['before a bubble is opened', ['thinnest-chat.min.js', 'thinnest-chat.esm.js'], 14],
  ['after the first reply', ['thinnest-chat.min.js', 'thinnest-chat.esm.js', markdownChunk], 34],
];
console.log('| script-tag path | files | raw | gzip | brotli | budget (brotli) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [label, names, budget] of rows) {
  const total = sum(names);
  const verdict = total.brotli <= budget * 1024 ? 'within' : 'over';
  console.log(`| ${label} | ${names.length} | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)} | ${budget} KB (${verdict}) |`);
}
