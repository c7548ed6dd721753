// The API tables in docs/api.md must say what the element's JSDoc says (via custom-elements.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
// @ts-expect-error plain ESM script without types
import { API_DOC, renderApiTables, withApiTables } from '../../scripts/readme-api.mjs';

function freshManifest() {
  // The analyzer resolves --outdir against the working directory, so keep it relative.
  const dir = relative(process.cwd(), mkdtempSync(join('node_modules', '.cache-thinnest-cem-')));
  try {
    execFileSync('node_modules/.bin/cem', ['analyze', '--outdir', dir, '--quiet']);
    return JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const manifest = freshManifest();
const element = manifest.modules
  .flatMap((m: { declarations?: unknown[] }) => m.declarations ?? [])
  .find((d: { tagName?: string }) => d.tagName === 'thinnest-chat');

test('the manifest documents every attribute, event, part, slot and CSS property of SPEC §3', () => {
  const names = (list: Array<{ name: string }> = []) => list.map((item) => item.name);
  for (const attribute of ['proxy-url', 'chat-title', 'placeholder', 'welcome-message', 'suggestions', 'mode', 'open', 'position', 'theme', 'storage-key', 'persist', 'timeout', 'credentials', 'strings', 'hide-data-controls']) {
    assert.ok(names(element.attributes).includes(attribute), `attribute ${attribute}`);
  }
  for (const event of ['send', 'reply', 'error', 'session', 'toggle']) {
    assert.ok(names(element.events).includes(`thinnest-chat-${event}`), `event ${event}`);
  }
  for (const part of ['launcher', 'panel', 'header', 'title', 'transcript', 'message', 'user-message', 'assistant-message', 'error', 'composer', 'input', 'send-button', 'suggestion', 'new-session-button']) {
    assert.ok(names(element.cssParts).includes(part), `part ${part}`);
  }
  for (const slot of ['header', 'empty', 'launcher-icon']) assert.ok(names(element.slots).includes(slot), `slot ${slot}`);
  for (const prop of ['accent', 'background', 'foreground', 'radius', 'font-family', 'user-bubble', 'user-bubble-text', 'assistant-bubble', 'assistant-bubble-text', 'width', 'height', 'z-index']) {
    assert.ok(names(element.cssProperties).includes(`--thinnest-chat-${prop}`), `css property ${prop}`);
  }
  for (const member of ['headers', 'strings', 'messages', 'sessionId', 'send', 'newSession', 'show', 'hide', 'toggle', 'focus']) {
    assert.ok(names(element.members).includes(member), `member ${member}`);
  }
});

test('docs/api.md API tables are generated from the manifest and up to date (npm run docs)', () => {
  const page = readFileSync(API_DOC, 'utf8');
  assert.equal(withApiTables(page, renderApiTables(manifest)), page);
  // One home for the tables: the README links to them rather than carrying a second copy.
  assert.ok(!readFileSync('README.md', 'utf8').includes('<!-- api:start'), 'README.md carries no generated API tables');
  assert.match(readFileSync('README.md', 'utf8'), /\]\(docs\/api\.md\)/, 'README.md links to docs/api.md');
});

test('every CSS custom property the styles read is documented, and every documented one is read', () => {
  const styles = readdirSync('src')
    .filter((file) => file.endsWith('.styles.ts'))
    .map((file) => readFileSync(join('src', file), 'utf8'))
    .join('\n');
  const used = new Set(styles.match(/--thinnest-chat-[a-z-]+/g));
  const documented = new Set(element.cssProperties.map((p: { name: string }) => p.name));
  assert.deepEqual([...used].sort(), [...documented].sort());
});

test('every test file or folder the docs and code comments name exists', () => {
  // Tests are found by the names the docs give them (docs/development.md, "Where the tests are"),
  // so a renamed or merged suite must not leave its old name behind.
  const docs = ['README.md', 'SECURITY.md', 'examples/README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const code = ['src', 'server', 'test', 'demo', 'scripts', 'bench'].flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mjs)$/.test(f) && !f.includes('node_modules'))
      .map((f) => join(dir, f)),
  );
  const named = (file: string, text: string) =>
    [...text.matchAll(/(?:\.\.\/)*(test\/[\w./-]*\w)/g)].map((match) => ({ file, path: match[1] }));
  const mentions = [
    ...docs.flatMap((file) => named(file, readFileSync(file, 'utf8'))),
    ...code.flatMap((file) =>
      named(file, readFileSync(file, 'utf8').split('\n').filter((line) => /^\s*(\/\/|\/?\*)/.test(line)).join('\n')),
    ),
  ];
  assert.ok(mentions.some((m) => m.path === 'test/nothing-lost.test.ts'), 'the check finds the names the docs give');
  const missing = mentions.filter(({ path }) => !existsSync(path)).map(({ file, path }) => `${file}: ${path}`);
  assert.deepEqual(missing, []);
});
