// `npm run size`: what the script-tag path costs a page, brotli-compressed, against the budgets
// of issue 7: ≤ 14 KB before a bubble is opened, ≤ 34 KB for everything after the first reply.
// Files are followed through their imports from dist/thinnest-chat.min.js, as a browser would.
// `--check` exits 1 when a budget is exceeded (CI runs it after the build, see npm test).
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = 'dist';
const check = process.argv.includes('--check');
if (!existsSync(`${dist}/thinnest-chat.min.js`)) {
  console.error('Run npm run build first: dist/thinnest-chat.min.js is missing.');
  process.exit(1);
}
const source = (name) => readFileSync(`${dist}/${name}`, 'utf8');
const files = (pattern, name) => [...source(name).matchAll(pattern)].map((m) => m[1].replace(/^\.\//, ''));
/** A file and every file it imports statically, transitively. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of files(/(?:^|[;}\s])import\s*(?:[^"'`()]*?from\s*)?["'`](\.\/[^"'`]+)["'`]/g, name)) closure(dep, seen);
  return seen;
}
/** The chunk a dynamic import loads, by its name (thinnest-chat.<chunk>-<hash>.js). */
function dynamic(entry, chunk) {
  const found = files(/import\(\s*["'`](\.\/[^"'`]+)["'`]\s*\)/g, entry).find((name) => name.startsWith(`thinnest-chat.${chunk}`));
  if (!found) throw new Error(`no dynamic import of the ${chunk} chunk in ${entry}`);
  return found;
}
const entry = 'thinnest-chat.esm.js';
if (!source('thinnest-chat.min.js').includes(entry)) throw new Error(`the loader does not import ${entry}`);
const launcher = new Set(['thinnest-chat.min.js', ...closure(entry)]);
const panel = new Set([...launcher, ...closure(dynamic(entry, 'panel'))]);
const markdown = dynamic(entry, 'markdown');
const reply = new Set([...panel, ...closure(markdown)]);
// A browser without the HTML Sanitizer API (Element.setHTML) also fetches DOMPurify.
const fallback = new Set([...reply, ...closure(dynamic(markdown, 'sanitize-dompurify'))]);

const measure = (name) => {
  const bytes = readFileSync(`${dist}/${name}`);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const sum = (names) => [...names].map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['before a bubble is opened', launcher, 14],
  ['an open panel, before any reply', panel, undefined],
  ['after the first reply', reply, 34],
  ['after the first reply, without the Sanitizer API', fallback, undefined],
];
let over = 0;
console.log('| script-tag path | files | raw | gzip | brotli | budget (brotli) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [label, names, budget] of rows) {
  const total = sum(names);
  const verdict = budget === undefined ? '' : total.brotli <= budget * 1024 ? `${budget} KB (within)` : `${budget} KB (over)`;
  if (budget !== undefined && total.brotli > budget * 1024) over++;
  console.log(`| ${label} | ${names.size} | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)} | ${verdict} |`);
}
if (check && over) {
  console.error(`\nsize: ${over} budget(s) exceeded.`);
  process.exit(1);
}
