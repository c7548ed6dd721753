// The API tables of docs/api.md come from custom-elements.json (itself generated from the
// element's JSDoc), never by hand: `--write` refreshes docs/api.md, `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

/** The page that holds the generated tables, relative to the repository root. */
export const API_DOC = 'docs/api.md';

const START = '<!-- api:start (generated from custom-elements.json by scripts/readme-api.mjs; do not edit) -->';
const END = '<!-- api:end -->';

const cell = (text = '') => String(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
const code = (text) => (text ? `\`${cell(text).replace(/`/g, "'")}\`` : '');

/** Markdown tables for the element in a custom-elements manifest. */
export function renderApiTables(manifest) {
  const element = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .find((declaration) => declaration.customElement && declaration.tagName === 'thinnest-chat');
  if (!element) throw new Error('custom-elements.json has no <thinnest-chat> declaration');
  const publicMembers = (element.members ?? []).filter(
    (member) => !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#'),
  );
  const attributeFields = new Set((element.attributes ?? []).map((attribute) => attribute.fieldName));
  const lines = [];
  const table = (title, head, rows) => {
    lines.push(`## ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
    lines.push('');
  };
  table(
    'Attributes',
    ['attribute', 'property', 'type', 'default', 'meaning'],
    (element.attributes ?? []).map((a) => [
      code(a.name),
      code(a.fieldName),
      code(a.type?.text?.replace(/ \| undefined$/, '')),
      code(a.default),
      cell(a.description),
    ]),
  );
  table(
    'Properties without an attribute',
    ['property', 'type', 'meaning'],
    publicMembers
      .filter((m) => m.kind === 'field' && !attributeFields.has(m.name))
      .map((m) => [code(m.name), code(m.type?.text), cell((m.readonly ? 'Read-only. ' : '') + (m.description ?? ''))]),
  );
  table(
    'Methods',
    ['method', 'meaning'],
    publicMembers
      .filter((m) => m.kind === 'method')
      .map((m) => [
        code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ')})${m.return?.type?.text ? `: ${m.return.type.text}` : ''}`),
        cell(m.description),
      ]),
  );
  table(
    'Events',
    ['event', 'type', 'meaning'],
    (element.events ?? []).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]),
  );
  table('CSS custom properties', ['property', 'default', 'meaning'], (element.cssProperties ?? []).map((p) => [code(p.name), code(p.default), cell(p.description)]));
  table('Parts (`::part()`)', ['part', 'meaning'], (element.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]));
  table('Slots', ['slot', 'meaning'], (element.slots ?? []).map((s) => [code(s.name), cell(s.description)]));
  return lines.join('\n').trim();
}

/** The page's text with the generated section replaced. */
export function withApiTables(page, tables) {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${API_DOC} lacks the ${START} … ${END} markers`);
  return `${page.slice(0, start + START.length)}\n\n${tables}\n\n${page.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = JSON.parse(readFileSync(process.argv.find((a) => a.endsWith('.json')) ?? 'dist/custom-elements.json', 'utf8'));
  if (!process.argv.includes('--check') && !process.argv.includes('--write')) {
    console.log(renderApiTables(manifest));
    process.exit(0);
  }
  const page = readFileSync(API_DOC, 'utf8');
  const updated = withApiTables(page, renderApiTables(manifest));
  if (process.argv.includes('--check')) {
    if (updated !== page) {
      console.error(`${API_DOC} API tables are stale: run npm run docs`);
      process.exit(1);
    }
  } else {
    writeFileSync(API_DOC, updated);
  }
}
