// Framework types generated from dist/custom-elements.json (run by `npm run build`, after the analyzer):
//   dist/react.d.ts   React 19 JSX: `<thinnest-chat>` in JSX.IntrinsicElements, props typed from
//                     the element class, `onthinnest-chat-*` handlers with typed `detail` and `target`
//                     (@wc-toolkit/jsx-types)                            → import 'thinnest-chat/react'
//   dist/vue.d.ts     Vue 3 GlobalComponents: `<thinnest-chat>` props and typed handlers for
//                     `@thinnest-chat-*` listeners (custom-element-vuejs-integration)
//                                                                        → import 'thinnest-chat/vue'
// The generators write everything; this script adapts their input (`forVue`) and trims or
// extends their output for the one framework each file is for (`keepOnly`, `reactRefs`,
// `reactDomProps`, `vueHandlers`), failing loudly if a generator's output changes shape. Usage:
//   node scripts/framework-types.mjs [path/to/custom-elements.json] [outdir]
// Run it as a file (not from `node -e`): @prettier/sync, which both generators use, hangs when
// loaded from an ESM eval script on Node 20.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateJsxTypes } from '@wc-toolkit/jsx-types';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';

const manifestPath = process.argv[2] ?? 'dist/custom-elements.json';
const outdir = process.argv[3] ?? 'dist';
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const header = (what, generator) =>
  `// ${what} for <thinnest-chat>. Generated from custom-elements.json by ${generator}\n` +
  `// (scripts/framework-types.mjs): do not edit.\n`;

const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
if (!elements.some((d) => d.tagName === 'thinnest-chat')) {
  throw new Error(`${manifestPath} declares no <thinnest-chat>: run the analyzer first`);
}

/**
 * Removes every top-level `declare module "…" { … }` and `declare global { … }` block except the
 * named ones. The JSX generator augments eight JSX runtimes (preact, solid-js, hono/jsx …) and the
 * global JSX namespace at once; in a package that is imported only by React users, augmenting a
 * module they do not have is an error without skipLibCheck, and the global JSX namespace would
 * clash with Vue's or another library's.
 */
function keepOnly(source, keep) {
  const lines = source.split('\n');
  const out = [];
  const kept = new Set();
  for (let i = 0; i < lines.length; i++) {
    const match = /^declare (?:module "([^"]+)"|(global)) \{\s*$/.exec(lines[i]);
    if (!match) {
      out.push(lines[i]);
      continue;
    }
    const name = match[1] ?? 'global';
    let depth = 0;
    let j = i;
    for (; j < lines.length; j++) {
      depth += (lines[j].match(/\{/g) ?? []).length - (lines[j].match(/\}/g) ?? []).length;
      if (depth === 0) break;
    }
    if (keep.includes(name)) {
      out.push(...lines.slice(i, j + 1));
      kept.add(name);
    }
    i = j;
  }
  const missing = keep.filter((name) => !kept.has(name));
  if (missing.length) throw new Error(`generator output no longer augments ${missing.join(', ')}: check its new format`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/**
 * The generator types `ref` as the element or a callback, which is Solid's shape; React 19 passes
 * `useRef()` objects too, so React's own `Ref<T>` is used instead.
 */
function reactRefs(source) {
  const generic = /^(\s*)ref\?: \(T \| \(\(e: T\) => void\)\) \| undefined;$/m;
  if (!generic.test(source)) throw new Error('generator output no longer types `ref` as expected: check its new format');
  return source.replace(generic, '$1ref?: import("react").Ref<T> | undefined;');
}

/**
 * React's own props for any element, which React passes to a custom element as to a `<div>`: its DOM event
 * handlers (`onClick`, `onKeyDown`, `onFocus` …, typed by React with this element as `currentTarget`). The
 * generator leaves them out (`BaseEvents` is empty), so `<thinnest-chat onClick={…}>` was a type error. Its
 * `classList` is Solid's, not React's, and goes.
 */
function reactDomProps(source) {
  const events = /^type BaseEvents = \{\};$/m;
  const classList = /^\s*\/\*\* Takes an object where the key is the class name\(s\)[^\n]*\n\s*classList\?: [^\n]*\n/m;
  if (!events.test(source) || !classList.test(source)) throw new Error('generator output no longer has BaseEvents or classList as expected: check its new format');
  return source
    .replace(events, 'type BaseEvents = Omit<import("react").DOMAttributes<ThinnestChat>, "children" | "dangerouslySetInnerHTML">;')
    .replace(classList, '');
}

/**
 * The Vue generator names handler props after the event (`"onthinnest-chat-reply"`), but Vue
 * compiles `@thinnest-chat-reply` to `onThinnestChatReply`, and that is the key vue-tsc looks up.
 * Each handler gets that twin, so template listeners get a typed `event.detail`.
 */
function vueHandlers(source) {
  let count = 0;
  const out = source.replace(/^(\s*)"on([a-z0-9]+(?:-[a-z0-9]+)+)"\?: (.+)$/gm, (line, indent, event, type) => {
    count++;
    const camel = `on${event.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('')}`;
    return `${line}\n${indent}${camel}?: ${type}`;
  });
  if (count === 0) throw new Error('generator output no longer has "on<event>" handler props: check its new format');
  return out;
}

/** The Vue generator logs its scratch path even with `hideLogs`; the build prints its own line. */
function quietly(generate) {
  const log = console.log;
  console.log = () => {};
  try {
    generate();
  } finally {
    console.log = log;
  }
}

// 1. React 19 (the generator also augments other JSX runtimes; only React's are kept).
const scratch = mkdtempSync(join(tmpdir(), 'thinnest-framework-types-'));
try {
  generateJsxTypes(structuredClone(manifest), {
    outdir: scratch,
    fileName: 'react.d.ts',
    globalTypePath: './index.js',
    stronglyTypedEvents: true,
  });
  const react = readFileSync(join(scratch, 'react.d.ts'), 'utf8');
  writeFileSync(
    join(outdir, 'react.d.ts'),
    header('React 19 JSX types', '@wc-toolkit/jsx-types') +
      reactDomProps(reactRefs(keepOnly(react, ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime']))),
  );

  // 2. Vue 3. The generator types a handler as `CustomEvent<event.type>`, expecting the detail
  // type there; the analyzer records the whole event type (`CustomEvent<ReplyEventDetail>`), so
  // unwrap it (the generator then imports the detail type too). Read-only properties (messages,
  // sessionId) are not props anyone can set, so they are left out.
  const forVue = structuredClone(manifest);
  for (const element of forVue.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement)) {
    for (const event of element.events ?? []) {
      const inner = /^CustomEvent<(.+)>$/.exec(event.type?.text ?? '');
      if (inner) event.type = { ...event.type, text: inner[1] };
    }
    element.members = (element.members ?? []).filter((m) => !m.readonly);
  }
  quietly(() => generateVuejsTypes(forVue, { outdir: scratch, fileName: 'vue.d.ts', globalTypePath: './index.js', hideLogs: true }));
  const vue = readFileSync(join(scratch, 'vue.d.ts'), 'utf8');
  writeFileSync(
    join(outdir, 'vue.d.ts'),
    header('Vue 3 GlobalComponents types', 'custom-element-vuejs-integration') + vueHandlers(keepOnly(vue, ['vue'])),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`${outdir}/react.d.ts, ${outdir}/vue.d.ts generated from ${manifestPath}`);
