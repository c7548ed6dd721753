// `npm run build` → dist/ as SPEC §6 names it:
//   index.js (+ modules)     ES module for bundlers; lit, marked and dompurify stay imports
//   thinnest-chat.min.js     self-contained script-tag file (unpkg/jsdelivr): classic, defer or module
//   proxy.js, cli.js         the reference proxy (Web-standard handler) and its Node CLI
//   *.d.ts, custom-elements.json
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const browserDeps = [/^lit($|\/)/, /^@lit\//, /^marked$/, /^dompurify$/];
const serverDeps = [/^hono($|\/)/, /^@hono\//, /^rate-limiter-flexible($|\/)/, /^node:/];
const quiet = { configFile: false, logLevel: 'warn' };

rmSync('dist', { recursive: true, force: true });

// 1. ES modules for bundlers, one file per source module so tree-shaking and types line up.
await build({
  ...quiet,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
    rolldownOptions: {
      external: browserDeps,
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});

// 2. The script-tag file: everything inlined. A second copy on the page (two tags, or a
// defer and a module tag) skips itself before it evaluates anything, so it neither throws
// on customElements.define nor on a duplicate Trusted Types policy.
await build({
  ...quiet,
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: 'src/index.ts', formats: ['iife'], name: 'ThinnestChatBundle', fileName: () => 'thinnest-chat.min.js' },
    rolldownOptions: {
      output: {
        banner: `/*! thinnest-chat ${pkg.version} | MIT */\nif(!(window.customElements&&customElements.get("thinnest-chat"))){`,
        footer: '}',
      },
    },
  },
});

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
console.log('dist/ built: index.js, thinnest-chat.min.js, proxy.js, cli.js, types, custom-elements.json');
