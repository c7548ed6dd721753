// `thinnest-chat/proxy` must run unchanged on Workers, Deno, Bun and edge functions: its module graph
// may import only Web-standard code and hono, never Node built-ins or the browser widget in src/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, it } from 'node:test';

const IMPORT = /\b(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
const NODE_BUILTINS = new Set(builtinModules);

/** Every specifier imported by a file and, recursively, by the local files it imports. */
function importGraph(entry: URL): { files: string[]; external: string[] } {
  const files: string[] = [];
  const external = new Set<string>();
  const visit = (file: URL) => {
    if (files.includes(file.href)) return;
    files.push(file.href);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), file));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { files, external: [...external] };
}

describe('the proxy module graph', () => {
  const { files, external } = importGraph(new URL('../../server/proxy.ts', import.meta.url));

  it('imports no Node built-in', () => {
    const nodeImports = external.filter((specifier) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]!));
    assert.deepEqual(nodeImports, []);
  });

  it('imports only hono from outside the repository', () => {
    assert.deepEqual(external.filter((specifier) => !/^hono(\/|$)/.test(specifier)), []);
  });

  it('pulls in no browser code from src/: only the rules the widget shares with it (a reply\'s shape, Retry-After\'s, what a blank message is), which touch no DOM', () => {
    assert.ok(files.length > 1, 'the graph was read');
    const shared = files.filter((file) => file.includes('/src/'));
    assert.deepEqual(shared.map((file) => file.replace(/.*\/src\//, 'src/')).sort(), ['src/reply-shape.ts', 'src/retry-after.ts', 'src/rules.ts', 'src/text.ts']);
    for (const file of shared) assert.doesNotMatch(readFileSync(new URL(file), 'utf8'), /\b(document|window|navigator|localStorage|HTMLElement)\b/, file);
    for (const file of files) assert.doesNotMatch(readFileSync(new URL(file), 'utf8'), /\b(process|Buffer|require|__dirname)\b/, file);
  });
});
