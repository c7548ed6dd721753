// `npm run size`: what the script-tag path costs a page, brotli-compressed, against its budgets:
// ≤ 14 KB before a bubble is opened, ≤ 36 KB for everything after the first reply.
// Files are followed through their imports from dist/thinnest-chat.min.js, as a browser would.
// `--check` (run by npm test after the build) exits 1 when a size passes its enforced limit: the
// budget itself, and for the paths without one a ceiling just above today's figure, so they can
// only shrink (docs/performance.md, "Size").
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
/**
 * The chunk a file loads on need, by its name (thinnest-chat.<chunk>.js): `import("./…")` in a module
 * chunk; in the script-tag file, through its loader, which resolves the same "./…" against its URL.
 */
function dynamic(entry, chunk) {
  const found = files(/["'`](\.\/thinnest-chat\.[\w.-]+\.js)["'`]/g, entry).find((name) => name.startsWith(`thinnest-chat.${chunk}`));
  if (!found) throw new Error(`no dynamic import of the ${chunk} chunk in ${entry}`);
  return found;
}
const entry = 'thinnest-chat.min.js';
const launcher = closure(entry);
const conversation = dynamic(entry, 'conversation');
const panel = new Set([...launcher, ...closure(conversation)]);
const markdown = dynamic(entry, 'markdown');
const reply = new Set([...panel, ...closure(markdown)]);
// A bubble that fills a phone's screen also fetches its Tab trap and keyboard fit.
const phone = new Set([...reply, ...closure(dynamic(conversation, 'full-screen'))]);
// A browser without the HTML Sanitizer API (Element.setHTML) also fetches DOMPurify.
const fallback = new Set([...reply, ...closure(dynamic(markdown, 'sanitize-dompurify'))]);
// A visitor with another tab open on the conversation also fetches the code that follows that tab's changes.
const tabs = new Set([...reply, ...closure(dynamic(conversation, 'tab-sync'))]);

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
// [label, files, the budget, the limit --check enforces] in KB of brotli.
const rows = [
  ['before a bubble is opened', launcher, 14, 14],
  ['an open panel, before any reply', panel, undefined, 21.0],
  ['after the first reply', reply, 36, 36],
  ["after the first reply, in a bubble filling a phone's screen", phone, undefined, 36.6],
  ['after the first reply, without the Sanitizer API', fallback, undefined, 46.5],
  ['after the first reply, with another tab open', tabs, undefined, 36.7],
];
const failures = [];
console.log('| script-tag path | files | raw | gzip | brotli | budget (brotli) | enforced limit |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [label, names, budget, limit] of rows) {
  const total = sum(names);
  const verdict = budget === undefined ? '' : total.brotli <= budget * 1024 ? `${budget} KB (within)` : `${budget} KB (over)`;
  if (total.brotli > limit * 1024) failures.push(`${label}: ${kb(total.brotli)} is over its limit of ${limit} KB`);
  console.log(`| ${label} | ${names.size} | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)} | ${verdict} | ${limit} KB |`);
}
if (check && failures.length) {
  console.error(`\nsize check failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
if (check) console.log('\nsize check passed: every path within its enforced limit.');
