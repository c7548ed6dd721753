// `npm run build` → dist/ as SPEC §6 names it:
//   index.js (+ modules)     ES module for bundlers; lit, marked and dompurify stay imports
//   thinnest-chat.min.js     the script-tag file (unpkg/jsdelivr): classic, defer or module; the
//                            element itself, with its panel and markdown chunks beside it
//   proxy.js, cli.js         the reference proxy (Web-standard handler) and its Node CLI;
//   redis-stores.js          the shared limits on Redis, which proxy.js loads only when redisUrl is set
//   *.d.ts, custom-elements.json
import { build } from 'vite';
import { minifyCss } from './minify-css.mjs';
import { scriptTagFile } from './script-tag-file.mjs';
import { markedWithoutGlobal } from './marked-without-global.mjs';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { minify as terser } from 'terser';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const browserDeps = [/^lit($|\/)/, /^@lit\//, /^marked$/, /^dompurify$/];
const serverDeps = [/^hono($|\/)/, /^@hono\//, /^rate-limiter-flexible($|\/)/, /^@redis\//, /^prom-client$/, /^node:/];
const quiet = { configFile: false, logLevel: 'warn' };
const LOCALES = ['de', 'fr', 'es', 'pt', 'ja', 'ar'];

rmSync('dist', { recursive: true, force: true });

// 1. ES modules for bundlers, one file per source module so tree-shaking and types line up.
await build({
  ...quiet,
  plugins: [minifyCss()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: 'hidden', // maps are built for debugging but not published, so no file points at one
    lib: {
      entry: { index: 'src/index.ts', ...Object.fromEntries(LOCALES.map((lang) => [`locales/${lang}`, `src/locales/${lang}.ts`])) },
      formats: ['es'],
    },
    rolldownOptions: {
      external: browserDeps,
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});

// 2. The script-tag file, thinnest-chat.min.js: the element with Lit, bundled and minified, that runs
// as a classic, `defer` or `type="module"` script alike (scripts/script-tag-file.mjs). It renders the
// launcher, or an inline widget's frame, by itself; the panel and the markdown renderer are chunks
// beside it, fetched on need and resolved against the script's own URL, so any CDN folder or
// self-hosted path works and the page writes one tag. A second copy on the page does nothing.
const scriptTag = await build({
  ...quiet,
  plugins: [minifyCss(), markedWithoutGlobal(), scriptTagFile({ entry: 'thinnest-chat.min.js', version: pkg.version })],
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: 'hidden', // maps are built for debugging but not published, so no file points at one
    // The entry defines the element and exports nothing: a script tag has no importer.
    lib: { entry: { 'thinnest-chat.min': 'src/define.ts' }, formats: ['es'] },
    rolldownOptions: {
      // Code the lazy chunks share with the element stays in the script-tag file (which hands it to
      // them), rather than in a third file fetched before the launcher can show.
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        // Fixed names, like the script-tag file's: the files are a set, served from one versioned folder.
        chunkFileNames: 'thinnest-chat.[name].js',
        // Vite's library mode keeps whitespace in ES output; the script-tag files are for pages, not bundlers.
        minify: true,
        // The banner names the file a page writes a tag for; its chunks are named by their file names.
        postBanner: (chunk) => (chunk.isEntry ? `/*! thinnest-chat ${pkg.version} | MIT */` : ''),
      },
    },
  },
});
// One minifier pass over the bundler's output as it is (nothing in the dependencies' code is
// edited, but for marked's global instance, which nothing reaches: scripts/marked-without-global.mjs): terser, with a few passes, finds what Rolldown's own minification leaves (about 0.3 KB
// brotli over the after-reply path). The hidden source maps follow it.
for (const { fileName: name } of [scriptTag].flat().flatMap((result) => result.output).filter((file) => file.type === 'chunk')) {
  const file = `dist/${name}`;
  const result = await terser(readFileSync(file, 'utf8'), {
    // The script-tag file is also a classic script: its "use strict" must stay, and strict mode is not assumed.
    module: name !== 'thinnest-chat.min.js',
    ecma: 2022,
    // marked's module ends with reads of its own functions for the names it exports (`options = marked.options`, …),
    // kept for the exports the widget does not import: with property reads taken as free of side effects, terser drops
    // them (50 bytes). Only in the markdown chunk, whose other code was read unchanged by it: DOMPurify's checks read
    // properties that may throw on purpose (a clobbered node), and those reads must stay where they are.
    compress: { passes: 3, pure_getters: name === 'thinnest-chat.markdown.js' ? true : 'strict' },
    // Rolldown's minifier takes the file for a module and drops the wrapper's "use strict": it is put back, first.
    // (V8's compile hint, `//# allFunctionsCalledOnLoad` after it, came out: it cost 20–53 bytes the after-reply budget
    // needed for waiting on the page's first paint, and its gain did not show in Lighthouse: docs/performance.md.)
    format: { comments: /^!/, preamble: name === 'thinnest-chat.min.js' ? '"use strict";' : undefined },
    sourceMap: { content: readFileSync(`${file}.map`, 'utf8'), filename: name },
  });
  writeFileSync(file, result.code);
  writeFileSync(`${file}.map`, result.map);
}

// Locales for script-tag users: one classic-script file each (dist/locales/de.min.js …) that
// registers into the page-wide registry the script-tag element reads; never part of its first load.
for (const lang of LOCALES) {
  await build({
    ...quiet,
    build: {
      outDir: 'dist/locales',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: `src/locales/${lang}.ts`, formats: ['iife'], name: `ThinnestChatLocale_${lang}`, fileName: () => `${lang}.min.js` },
    },
  });
}

// 3. The proxy handler (no browser code, no Node built-ins) and the Node CLI.
await build({
  ...quiet,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    ssr: true,
    // redis-stores.js is loaded by the proxy only when redisUrl is set, by a name bundlers do not follow.
    lib: { entry: { proxy: 'server/proxy.ts', cli: 'server/cli.ts', 'redis-stores': 'server/redis-stores.ts' }, formats: ['es'] },
    rolldownOptions: {
      external: serverDeps,
      output: { entryFileNames: '[name].js', chunkFileNames: 'server-[name]-[hash].js' },
    },
  },
});
const cli = 'dist/cli.js';
const cliSource = readFileSync(cli, 'utf8');
if (!cliSource.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${cliSource}`);
chmodSync(cli, 0o755);

// 4. Types and the custom-elements manifest (from the JSDoc of src/thinnest-chat.ts).
const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(bin('tsc'), ['-p', 'tsconfig.proxy.json'], { stdio: 'inherit' });
execFileSync(bin('cem'), ['analyze', '--outdir', 'dist', '--quiet'], {
  stdio: 'inherit',
});
// 5. React and Vue typings, generated from the manifest.
execFileSync(process.execPath, [new URL('./framework-types.mjs', import.meta.url).pathname], { stdio: 'inherit' });
console.log('dist/ built: index.js, thinnest-chat.min.js, proxy.js, cli.js, types, custom-elements.json');
