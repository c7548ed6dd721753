// `npm run build` → dist/ as SPEC §6 names it:
//   index.js (+ modules)     ES module for bundlers; lit, marked and dompurify stay imports
//   thinnest-chat.min.js     the script-tag file (unpkg/jsdelivr): classic, defer or module; loads
//                            thinnest-chat.esm.js and, on need, the markdown chunk beside it
//   proxy.js, cli.js         the reference proxy (Web-standard handler) and its Node CLI
//   *.d.ts, custom-elements.json
import { build } from 'vite';
import { minifyCss } from './minify-css.mjs';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const browserDeps = [/^lit($|\/)/, /^@lit\//, /^marked$/, /^dompurify$/];
const serverDeps = [/^hono($|\/)/, /^@hono\//, /^rate-limiter-flexible($|\/)/, /^node:/];
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

// 2. The script-tag file: a few hundred bytes of classic script that imports the bundled
// element (thinnest-chat.esm.js) and, on first need, the markdown chunk, both resolved against
// the script's own URL, so any CDN folder or self-hosted path works and the page writes one tag.
// A second copy on the page (two tags, or a defer and a module tag) does nothing.
await build({
  ...quiet,
  plugins: [minifyCss()],
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: 'hidden', // maps are built for debugging but not published, so no file points at one
    lib: { entry: { 'thinnest-chat.esm': 'src/index.ts' }, formats: ['es'] },
    rolldownOptions: {
      // Code the lazy chunks share with the element stays in thinnest-chat.esm.js (which they
      // then import from), rather than in a third file fetched before the launcher can show.
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        // The panel chunk has a fixed name, like the element's file: the loader fetches it beside that
        // one when the page has an inline widget, rather than after it.
        chunkFileNames: (chunk) => (chunk.name === 'panel' ? 'thinnest-chat.panel.js' : 'thinnest-chat.[name]-[hash].js'),
        // Vite's library mode keeps whitespace in ES output; the script-tag files are for pages, not bundlers.
        minify: true,
        postBanner: `/*! thinnest-chat ${pkg.version} | MIT */`,
      },
    },
  },
});
// The loader, written small because it is shipped as it is:
// - a second copy on the page (the element is defined) does nothing;
// - document.currentScript is null for type="module": then our tag is found by name;
// - the element's file is imported from beside the script, wherever that is;
// - an inline widget needs its panel at once, so the panel's file is fetched side by side with
//   the element's, not after it (a closed bubble fetches it only when wanted).
const loader = `/*! thinnest-chat ${pkg.version} | MIT */
(function(){if(window.customElements&&customElements.get("thinnest-chat"))return;var d=document,s=d.currentScript,t;if(!s){t=d.querySelectorAll('script[src*="thinnest-chat"]');s=t[t.length-1]}var b=s?s.src:d.baseURI;function l(f){return import(new URL(f,b).href)}l("thinnest-chat.esm.js").catch(function(e){console.error("thinnest-chat: could not load thinnest-chat.esm.js next to thinnest-chat.min.js.",e)});function p(){if(d.querySelector('thinnest-chat:not([mode="bubble"])'))l("thinnest-chat.panel.js").catch(function(){})}d.readyState=="loading"?d.addEventListener("DOMContentLoaded",p,{once:true}):p()})();
`;
writeFileSync('dist/thinnest-chat.min.js', loader);

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
    lib: { entry: { proxy: 'server/proxy.ts', cli: 'server/cli.ts' }, formats: ['es'] },
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
