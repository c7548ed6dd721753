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
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { minify as terser } from 'terser';
import MagicString from 'magic-string';

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
  plugins: [minifyCss(), markedClassOnly(), litShortErrors(), scriptTagFile({ entry: 'thinnest-chat.min.js', version: pkg.version })],
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
// A second minifier pass over the script-tag files: terser, with a few passes, finds what Rolldown's
// minifier leaves (about 0.3 KB brotli over the after-reply path). The hidden source maps follow it.
for (const { fileName: name } of [scriptTag].flat().flatMap((result) => result.output).filter((file) => file.type === 'chunk')) {
  const file = `dist/${name}`;
  const result = await terser(readFileSync(file, 'utf8'), {
    // The script-tag file is also a classic script: its "use strict" must stay, and strict mode is not assumed.
    module: name !== 'thinnest-chat.min.js',
    ecma: 2022,
    compress: { passes: 3 },
    // Rolldown's minifier takes the file for a module and drops the wrapper's "use strict": it is put back, first.
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

/**
 * The widget uses marked's `Marked` class only (src/markdown.ts makes its own instance). marked's
 * module ends by making a default instance and the `marked()` function over it, with a dozen
 * properties assigned to that function: code a bundler must keep (property writes may have effects),
 * though nothing reads it. For the script-tag files that tail is cut and `Marked` alone exported:
 * about 0.1 KB brotli (121 bytes) off the after-reply path. A marked whose module no longer ends that way fails
 * the build here, rather than shipping something unchecked.
 */
function markedClassOnly() {
  return {
    name: 'thinnest-chat-marked-class-only',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
      const tail = /var \w+=new (\w+);function \w+\(\w+,\w+\)\{return \w+\.parse\(/.exec(code);
      const exportAt = code.lastIndexOf('export{');
      const exported = /(\w+) as Marked\b/.exec(code.slice(exportAt));
      if (!tail || exportAt < tail.index || !exported || exported[1] !== tail[1]) {
        throw new Error(`scripts/build.mjs: ${id} no longer ends with marked's default instance; update markedClassOnly()`);
      }
      const cut = new MagicString(code);
      cut.overwrite(tail.index, code.length, `export{${exported[1]} as Marked};`);
      return { code: cut.toString(), map: cut.generateMap({ hires: true }) };
    },
  };
}

/**
 * Lit's production build still throws three errors worded for developers who call its `css` tag or
 * template functions wrongly. In the script-tag files Lit is the widget's own copy, called only by
 * the widget, so those messages are shortened there (about 0.1 KB brotli off the after-reply path);
 * the checks themselves stay. A Lit whose messages changed fails the build here.
 */
function litShortErrors() {
  const messages = {
    'css-tag.js': [
      ['"CSSResult is not constructable. Use `unsafeCSS` or `css` instead."', '"CSSResult: use css"'],
      [`"Value passed to 'css' function must be a 'css' function result: "`, '"not a css result: "'],
      [`". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security."`, '""'],
    ],
  };
  return {
    name: 'thinnest-chat-lit-short-errors',
    transform(code, id) {
      const file = /[\\/]node_modules[\\/]@lit[\\/]reactive-element[\\/](css-tag\.js)$/.exec(id)?.[1];
      if (!file) return null;
      const cut = new MagicString(code);
      for (const [long, short] of messages[file]) {
        const at = code.indexOf(long);
        if (at < 0) throw new Error(`scripts/build.mjs: ${id} no longer has ${long}; update litShortErrors()`);
        cut.overwrite(at, at + long.length, short);
      }
      return { code: cut.toString(), map: cut.generateMap({ hires: true }) };
    },
  };
}
