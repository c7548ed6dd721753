// What `npm publish` would ship, read from `npm pack --dry-run --json` after `npm run build`:
// dist/ (JS, types, custom-elements.json, framework types), README, LICENSE and package.json, and
// nothing else; every package.json entry point names a published file; the script-tag file is a
// classic script that needs nothing but its published siblings; and Node (no window: what SSR
// frameworks do) imports the package without throwing.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Script } from 'node:vm';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` before this test (npm test does).');
}

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}
let packed: Map<string, PackedFile>;

before(async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [report] = JSON.parse(stdout) as Array<{ files: PackedFile[] }>;
  packed = new Map(report.files.map((file) => [file.path, file]));
});

/** './dist/x.js' → 'dist/x.js', the form npm pack lists. */
const plain = (target: string) => posix.normalize(target.replace(/^\.\//, ''));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const isPacked = (target: string) => packed.has(plain(target));

/** Every file a subpath pattern (`./dist/locales/*.js`) matches among the published ones. */
function matching(pattern: string): string[] {
  const [head, tail] = plain(pattern).split('*');
  return [...packed.keys()].filter((path) => path.startsWith(head) && path.endsWith(tail) && !path.slice(head.length, path.length - tail.length).includes('/'));
}

/** Leaf targets of an `exports` value, with the condition path that leads to each. */
function targets(value: unknown, conditions: string[] = []): Array<{ conditions: string[]; target: string }> {
  if (typeof value === 'string') return [{ conditions, target: value }];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([condition, inner]) => targets(inner, [...conditions, condition]));
  }
  return [];
}

/** Relative module specifiers a published ES module imports, statically or dynamically. */
function relativeImports(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}\/[^"']+)\1/g)) found.add(match[2]);
  return [...found];
}

/** Bare specifiers (packages) a file imports. */
function bareImports(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'./][^"']*)\1/g)) found.add(match[2]);
  return [...found];
}

describe('npm pack', () => {
  it('publishes dist/ with JS, types, custom-elements.json and framework types, plus README, LICENSE and package.json', () => {
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/define.js',
      'dist/thinnest-chat.min.js',
      'dist/proxy.js',
      'dist/server/proxy.d.ts',
      'dist/cli.js',
      'dist/custom-elements.json',
      'dist/react.d.ts',
      'dist/vue.d.ts',
    ]) {
      assert.ok(packed.has(path), `${path} is published`);
    }
    for (const path of packed.keys()) {
      assert.match(path, /^(dist\/.+|README\.md|LICENSE|package\.json)$/, `${path} is outside dist/ and the three top files`);
    }
  });

  it('publishes no tests, demo, fixtures, examples, sources, source maps, pictures or local config', () => {
    const forbidden: Array<[RegExp, string]> = [
      [/\.map$/, 'a source map'],
      [/(^|\/)(test|tests|__tests__|fixtures|demo|examples|bench|docs|scripts|coverage|node_modules|\.ci|\.scratch)\//, 'a folder that is not for users'],
      [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test'],
      [/(?<!\.d)\.[cm]?tsx?$/, 'TypeScript source'],
      [/\.(png|jpe?g|gif|webp|avif|svg|mp4|webm)$/i, 'a picture or video'],
      [/(^|\/)(\.env.*|\.npmrc|\.gitignore|tsconfig[^/]*\.json|vite\.config\.[cm]?[jt]s|web-test-runner\.config\.[cm]?js|custom-elements-manifest\.config\.[cm]?js|index\.html|package-lock\.json)$/, 'local config'],
    ];
    const offenders = [...packed.keys()].flatMap((path) =>
      forbidden.filter(([pattern]) => pattern.test(path.replace(/^dist\//, ''))).map(([, what]) => `${path} (${what})`),
    );
    assert.deepEqual(offenders, []);
  });

  it('publishes no JavaScript that points at a source map it does not publish', () => {
    const dangling = [...packed.keys()]
      .filter((path) => /\.[cm]?js$/.test(path))
      .flatMap((path) => {
        const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(path))?.[1];
        if (!map || map.startsWith('data:')) return [];
        const target = posix.join(posix.dirname(path), map);
        return packed.has(target) ? [] : [`${path} → ${map}`];
      });
    assert.deepEqual(dangling, [], 'sourceMappingURL comments naming unpublished maps (bundlers warn about each)');
  });

  it('every relative import in published JS names a published file', () => {
    const broken = [...packed.keys()]
      .filter((path) => /\.[cm]?js$/.test(path))
      .flatMap((path) =>
        relativeImports(read(path))
          .map((specifier) => posix.join(posix.dirname(path), specifier))
          .filter((target) => !packed.has(target))
          .map((target) => `${path} imports ${target}`),
      );
    assert.deepEqual(broken, []);
  });
});

describe('package.json entry points', () => {
  it('main, module, types and customElements name published files', () => {
    for (const field of ['main', 'module', 'types', 'customElements']) {
      assert.equal(typeof pkg[field], 'string', `${field} is set`);
      assert.ok(isPacked(pkg[field]), `${field} (${pkg[field]}) is a published file`);
    }
    assert.equal(plain(pkg.customElements), 'dist/custom-elements.json');
  });

  it('custom-elements.json names its modules by published files', () => {
    const manifest = JSON.parse(read('dist/custom-elements.json'));
    const named = new Set<string>();
    JSON.stringify(manifest, (key, value) => {
      if ((key === 'path' || key === 'module') && typeof value === 'string') named.add(value);
      return value;
    });
    assert.ok(named.has('dist/thinnest-chat.js'), [...named].join(', '));
    assert.deepEqual([...named].filter((path) => !isPacked(path)), []);
  });

  it('exports: ".", "./proxy", "./react", "./vue" and "./locales/*" (when present) resolve to published files', () => {
    const exportsMap = pkg.exports as Record<string, unknown>;
    for (const key of ['.', './proxy', './react', './vue', './package.json', './custom-elements.json']) {
      assert.ok(key in exportsMap, `exports["${key}"]`);
    }
    for (const key of ['.', './proxy']) {
      const conditions = exportsMap[key] as Record<string, string>;
      assert.ok(conditions.types, `exports["${key}"].types`);
      assert.ok(conditions.import ?? conditions.default, `exports["${key}"] has import or default`);
      assert.equal(Object.keys(conditions)[0], 'types', `exports["${key}"]: "types" comes first, or TypeScript may never see it`);
    }
    for (const key of ['./react', './vue']) {
      assert.match(String((exportsMap[key] as Record<string, string>).types), /\.d\.ts$/, `exports["${key}"].types`);
    }
    for (const [key, value] of Object.entries(exportsMap)) {
      for (const { conditions, target } of targets(value)) {
        const where = `exports["${key}"]${conditions.map((c) => `.${c}`).join('')} = ${target}`;
        assert.ok(target.startsWith('./'), `${where} starts with ./`);
        if (key.includes('*')) assert.ok(matching(target).length > 0, `${where} matches published files`);
        else assert.ok(isPacked(target), `${where} is published`);
      }
    }
    // A wildcard entry: every module it serves has its types beside it.
    for (const [key, value] of Object.entries(exportsMap).filter(([key]) => key.includes('*'))) {
      const conditions = value as Record<string, string>;
      if (!conditions.types || !(conditions.import ?? conditions.default)) continue;
      for (const module of matching(conditions.import ?? conditions.default).filter((path) => !path.endsWith('.min.js'))) {
        const name = module.slice(plain(conditions.import ?? conditions.default).indexOf('*')).replace(/\.js$/, '');
        assert.ok(isPacked(conditions.types.replace('*', name)), `exports["${key}"] serves ${module} without its types`);
      }
    }
  });

  it('typesVersions (for moduleResolution "node") names published files', () => {
    for (const mapping of Object.values((pkg.typesVersions ?? {}) as Record<string, Record<string, string[]>>)) {
      for (const [subpath, paths] of Object.entries(mapping)) {
        for (const path of paths) {
          if (path.includes('*')) assert.ok(matching(path).length > 0, `typesVersions ${subpath} → ${path}`);
          else assert.ok(isPacked(path), `typesVersions ${subpath} → ${path} is published`);
        }
      }
    }
  });

  it('sideEffects names the module that defines the element, the entry that imports it, and the locales', () => {
    const patterns = (pkg.sideEffects as string[]).map((pattern) => {
      const source = plain(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
      return new RegExp(`^${source}$`);
    });
    assert.ok(Array.isArray(pkg.sideEffects), 'sideEffects is a list, not false');
    const declared = (path: string) => patterns.some((pattern) => pattern.test(path));
    // The modules a bundler can reach: the export targets and what they import.
    const reachable = new Set<string>();
    const queue = Object.values(pkg.exports as Record<string, unknown>)
      .flatMap((value) => targets(value))
      .filter(({ conditions, target }) => !conditions.includes('types') && /\.js$/.test(target))
      .flatMap(({ target }) => (target.includes('*') ? matching(target) : [plain(target)]));
    while (queue.length) {
      const path = queue.shift()!;
      if (reachable.has(path) || !packed.has(path)) continue;
      reachable.add(path);
      queue.push(...relativeImports(read(path)).map((specifier) => posix.join(posix.dirname(path), specifier)));
    }
    const defining = [...reachable].filter((path) => /customElements\.define\(/.test(read(path)));
    assert.ok(defining.includes('dist/define.js'), 'dist/define.js, imported by the entry, defines the element');
    const needed = [...defining, plain(pkg.module), plain((pkg.exports['.'] as Record<string, string>).import)];
    const locales = pkg.exports['./locales/*'] as Record<string, string> | undefined;
    if (locales) needed.push(...matching(locales.import ?? locales.default).filter((path) => !path.endsWith('.min.js')));
    for (const path of new Set(needed)) assert.ok(declared(path), `sideEffects covers ${path}, or bundlers drop \`import '${path}'\``);
    for (const pattern of (pkg.sideEffects as string[]).filter((p) => plain(p).startsWith('dist/'))) {
      assert.ok(matching(pattern).length > 0 || isPacked(pattern), `sideEffects entry ${pattern} names a published file`);
    }
  });

  it('bin thinnest-chat-proxy is a published, executable file starting with a node shebang', () => {
    const bin = pkg.bin?.['thinnest-chat-proxy'];
    assert.ok(bin, 'bin.thinnest-chat-proxy');
    const file = packed.get(plain(bin));
    assert.ok(file, `${bin} is published`);
    assert.match(read(plain(bin)), /^#!\/usr\/bin\/env node\r?\n/);
    assert.ok(file.mode & 0o111, `${bin} is executable`);
  });

  it('unpkg and jsdelivr name the self-contained script-tag file: a classic script needing only published siblings', () => {
    assert.equal(plain(pkg.unpkg), plain(pkg.jsdelivr));
    assert.equal(plain(pkg.unpkg), 'dist/thinnest-chat.min.js');
    assert.equal(plain(pkg.exports['./thinnest-chat.min.js']), plain(pkg.unpkg));
    const entry = plain(pkg.unpkg);
    assert.ok(packed.has(entry), `${entry} is published`);
    // A plain <script src> is not a module: `import`/`export` statements would be a syntax error.
    assert.doesNotThrow(() => new Script(read(entry), { filename: entry }), `${entry} parses as a classic script`);
    // Everything it loads (sibling files named in it, then their relative imports) is published
    // and imports no package: a CDN serves the folder, not node_modules.
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      assert.ok(packed.has(path), `${path}, loaded by the script-tag file, is published`);
      const source = read(path);
      assert.deepEqual(bareImports(source), [], `${path} imports packages`);
      const siblings = [...source.matchAll(/(["'`])([\w.-]+\.m?js)\1/g)].map((match) => posix.join(posix.dirname(path), match[2]));
      const imports = relativeImports(source).map((specifier) => posix.join(posix.dirname(path), specifier));
      queue.push(...siblings, ...imports);
    }
  });
});

describe('importing the package in Node (server-side rendering)', () => {
  it('imports thinnest-chat, thinnest-chat/proxy and every locale without reading or defining window', async () => {
    // An app with the package installed: node_modules/thinnest-chat → this repository.
    const app = mkdtempSync(join(tmpdir(), 'thinnest-chat-ssr-'));
    try {
      mkdirSync(join(app, 'node_modules'));
      symlinkSync(dirname(join(ROOT, 'package.json')), join(app, 'node_modules', 'thinnest-chat'), 'dir');
      const locales = pkg.exports['./locales/*']
        ? matching((pkg.exports['./locales/*'] as Record<string, string>).import)
            .filter((path) => !path.endsWith('.min.js'))
            .map((path) => `thinnest-chat/locales/${posix.basename(path, '.js')}`)
        : [];
      // \`window\` is a getter that records each read: the package must not even look at it on import.
      const script = `
        const results = { windowReads: [] };
        if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('this Node has a DOM');
        const spy = () => { results.windowReads.push(new Error().stack.split('\\n')[2]?.trim()); return undefined; };
        Object.defineProperty(globalThis, 'window', { configurable: true, get: spy });
        const main = await import('thinnest-chat');
        results.exports = Object.keys(main).sort();
        results.ThinnestChat = typeof main.ThinnestChat;
        const proxy = await import('thinnest-chat/proxy');
        results.createProxy = typeof proxy.createProxy;
        for (const locale of ${JSON.stringify(locales)}) await import(locale);
        results.windowDefined = Object.getOwnPropertyDescriptor(globalThis, 'window')?.get !== spy;
        results.documentDefined = 'document' in globalThis;
        console.log(JSON.stringify(results));
      `;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 });
      const results = JSON.parse(stdout.trim().split('\n').pop()!);
      assert.deepEqual(results.windowReads, [], 'importing read window');
      assert.equal(results.ThinnestChat, 'function');
      assert.equal(results.createProxy, 'function');
      assert.equal(results.windowDefined, false, 'importing defined a global window');
      assert.equal(results.documentDefined, false, 'importing defined a global document');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
