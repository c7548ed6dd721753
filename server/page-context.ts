// PAGE_CONTEXT=1: the page a visitor writes from, as one marked line before their message. The page is
// whatever the browser says, so it is only ever text for the agent: cleaned, bounded, never acted on here.
import { isRecord } from '../src/rules.js';

/** What the widget sends with `page-context` set: `location.pathname` and `document.title`. */
export interface PageContext {
  path: string;
  title: string;
}

/** The longest path or title taken; longer is a malformed request (400), not something to cut. */
export const MAX_PAGE_FIELD_CHARS = 2048;
/** The whole marked line, brackets included, is at most this many characters. */
export const MAX_PAGE_LINE_CHARS = 200;

const OPEN = '[Visitor is on: ';
const CLOSE = ']';
// C0, DEL and C1 controls and the line and paragraph separators become spaces (a title's line break is a word break).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Bidi overrides and isolates, and the characters that could close the marked line or its quotes early, go.
const MARKS = /[\u202a-\u202e\u2066-\u2069[\]"]/g;

/** The `page` field of a chat body: `{path, title}` of strings within MAX_PAGE_FIELD_CHARS, or `undefined` when malformed. */
export function parsePageContext(value: unknown): PageContext | undefined {
  if (!isRecord(value)) return undefined;
  const { path, title } = value;
  if (typeof path !== 'string' || typeof title !== 'string') return undefined;
  if (path.length > MAX_PAGE_FIELD_CHARS || title.length > MAX_PAGE_FIELD_CHARS) return undefined;
  return { path, title };
}

/**
 * The marked line, e.g. `[Visitor is on: /pricing — "Pricing | Acme"]`: controls, brackets and quotes
 * stripped, whitespace collapsed, at most MAX_PAGE_LINE_CHARS characters (the title is cut first, then the
 * path). `undefined` when nothing is left of either.
 */
export function pageContextLine(page: PageContext): string | undefined {
  const path = clean(page.path);
  const title = clean(page.title);
  if (!path && !title) return undefined;
  const line = (p: string, t: string) => `${OPEN}${[p, t && `"${t}"`].filter(Boolean).join(' — ')}${CLOSE}`;
  const whole = line(path, title);
  if (characters(whole).length <= MAX_PAGE_LINE_CHARS) return whole;
  const roomForTitle = MAX_PAGE_LINE_CHARS - characters(line(path, 'x')).length + 1;
  if (title && roomForTitle >= 2) return line(path, clip(title, roomForTitle));
  const roomForPath = MAX_PAGE_LINE_CHARS - OPEN.length - CLOSE.length;
  return line(clip(path, roomForPath), '');
}

/**
 * The reverse, for the agent's side (the mock agent): a forwarded message split into the page the marked line
 * names (`/pricing — "Pricing | Acme"`) and the visitor's own words. No marked first line: the message is all theirs.
 */
export function splitPageContextLine(forwarded: string): { page?: string; message: string } {
  const end = forwarded.indexOf('\n');
  const first = end === -1 ? '' : forwarded.slice(0, end);
  if (!first.startsWith(OPEN) || !first.endsWith(CLOSE)) return { message: forwarded };
  return { page: first.slice(OPEN.length, -CLOSE.length), message: forwarded.slice(end + 1) };
}

function clean(text: string): string {
  return text.replace(CONTROLS, ' ').replace(MARKS, '').replace(/\s+/g, ' ').trim();
}

/** Code points, so a cut never splits an emoji's surrogate pair. */
function characters(text: string): string[] {
  return Array.from(text);
}

/** At most `room` characters, the last of them `…` when something was cut. */
function clip(text: string, room: number): string {
  const all = characters(text);
  return all.length <= room ? text : `${all.slice(0, room - 1).join('').trimEnd()}…`;
}
