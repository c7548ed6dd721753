// A demo agent that answers like the thinnest.ai chat API (SPEC §1), for `--mock` and `npm start`.
// Web-standard like the proxy, so a demo deploy can run it on any platform.
import { splitPageContextLine } from './page-context.js';
import type { ChatSuccess } from './wire.js';
import { isSessionId } from '../src/rules.js';

export interface MockAgentOptions {
  /** Milliseconds before each reply, so the typing indicator shows. Default 400. */
  delayMs?: number;
  /** Sessions remembered at once; the oldest is forgotten first. Default 1000. */
  maxSessions?: number;
}

/** The commands a visitor can type to make the mock agent fail, or take its time; documented in docs/proxy.md, "The mock agent". */
export const MOCK_ERROR_COMMANDS = {
  '/error 401': 'the agent rejects the API key: the proxy answers 401',
  '/error 404': 'the agent does not exist: the proxy answers 404',
  '/error 429': 'the agent is rate limited: the proxy answers 429 with Retry-After: 5',
  '/error 500': 'the agent fails: the proxy answers 500',
  '/error garbage': 'the agent answers something that is not the documented JSON: the proxy answers 502',
  '/error timeout': 'the agent times out: the proxy answers 504',
  '/hang': 'the agent never answers, until the proxy timeout or the visitor stops the request',
  '/slow <seconds>': 'the agent takes that many seconds (up to 999) to answer: three quick replies, then a slow one, show the typing indicator saying how long replies usually take',
} as const;

/** The stand-in key the proxy sends the mock agent: distinctive, so redacting it never rewrites ordinary words. */
export const MOCK_API_KEY = 'agno_mock_demo_key_not_secret';

const MAX_TURNS_REMEMBERED = 20;

/** Creates the mock agent: a fetch handler answering `POST …/v1/agents/{id}/chat`. */
export function createMockAgent(options: MockAgentOptions = {}): (request: Request) => Promise<Response> {
  const delayMs = options.delayMs ?? 400;
  const memory = new SessionMemory(options.maxSessions ?? 1000);

  return async (request) => {
    if (request.method !== 'POST' || !/\/v1\/agents\/[^/]+\/chat$/.test(new URL(request.url).pathname)) {
      return json(404, { detail: 'Not found' });
    }
    if (!/^Bearer \S+$/.test(request.headers.get('authorization') ?? '')) {
      return json(401, { detail: 'Missing or invalid Authorization' });
    }
    const body = await readBody(request);
    if (!body) return json(400, { detail: 'Expected {"message": string, "session_id"?: string}' });

    const startedAt = Date.now();
    // With PAGE_CONTEXT=1 the proxy puts the page's line before the visitor's own: commands and echoes read theirs.
    const { page, message } = splitPageContextLine(body.message);
    const command = message.trim().toLowerCase();
    if (command === '/hang') return hangUntilAborted(request.signal);
    const slow = /^\/slow (\d{1,3}(?:\.\d+)?)$/.exec(command);
    if (!(await sleep(slow ? Number(slow[1]) * 1000 : delayMs, request.signal))) return json(499, { detail: 'Client closed request' });

    const failure = failureFor(command);
    if (failure) return failure;

    const sessionId = body.session_id ?? crypto.randomUUID();
    const earlier = memory.recall(sessionId);
    memory.remember(sessionId, message);
    const reply: ChatSuccess = {
      success: true,
      response: composeReply(message, earlier, page),
      session_id: sessionId,
      metadata: { model: 'mock', latency_ms: Date.now() - startedAt },
    };
    return json(200, reply);
  };
}

function failureFor(command: string): Response | undefined {
  switch (command) {
    case '/error 401':
      return json(401, { detail: 'Invalid API key' });
    case '/error 404':
      return json(404, { detail: 'Agent not found' });
    case '/error 429':
      return json(429, { detail: 'Too many requests' }, { 'Retry-After': '5' });
    case '/error 500':
      return json(500, { detail: 'Agent execution error' });
    case '/error garbage':
      return new Response('<html>Surprise</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    case '/error timeout':
      return json(504, { detail: 'Agent timed out' });
    default:
      return undefined;
  }
}

/** Builds a markdown reply that exercises what the widget renders: lists, code, tables, links; `page` is the page context's, if any. */
export function composeReply(message: string, earlier: readonly string[], page?: string): string {
  const text = message.trim();
  const lower = text.toLowerCase();
  const recall = earlier.length
    ? `\n\n_You said earlier: “${clip(earlier[earlier.length - 1]!)}” (${earlier.length} earlier message${earlier.length === 1 ? '' : 's'} in this session)._`
    : '';

  if (lower === '/help' || lower === 'help') return helpText();
  if (lower.includes('everything') || lower.includes('tour')) return tourReply() + recall;
  if (lower.includes('code')) {
    return `Here is a snippet that embeds the widget:\n\n\`\`\`html\n<script type="module" src="https://unpkg.com/thinnest-chat"></script>\n<thinnest-chat proxy-url="/api/chat"></thinnest-chat>\n\`\`\`\n\nAnd inline code: \`npm start\`.${recall}`;
  }
  if (lower.includes('table')) {
    return `| plan | messages | price |\n|---|---:|---:|\n| Free | 100 | $0 |\n| Team | 10,000 | $29 |\n| Scale | unlimited | talk to us |${recall}`;
  }
  if (lower.includes('link')) {
    return `A few places to look:\n\n- [thinnest.ai](https://thinnest.ai)\n- [The widget on npm](https://www.npmjs.com/package/thinnest-chat)\n- Write to [support](mailto:support@example.com)${recall}`;
  }
  if (lower.includes('list')) {
    return `Three things I can show you:\n\n1. **Markdown** — lists, tables and \`code\`\n2. *Sessions* — I remember what you said\n3. Failure states — type \`/help\`\n\n- a bullet\n- another bullet${recall}`;
  }
  const where = page ? `\n\n_You are on ${clip(page)}._` : '';
  return `You said: **${clip(text)}**\n\nI am the mock agent. Ask me for a *list*, a *table*, some *code* or a *link*, or type \`/help\` for the error commands.${where}${recall}`;
}

/** A long reply with every kind of block, for the playground's gallery and screenshots. */
function tourReply(): string {
  return [
    '## What a reply can hold',
    '',
    'Replies are **markdown**: *emphasis*, `inline code`, [links](https://thinnest.ai) and more.',
    '',
    '1. Numbered steps',
    '2. With **bold** text',
    '   - and nested bullets',
    '',
    '| plan | messages | price |',
    '|---|---:|---:|',
    '| Free | 100 | $0 |',
    '| Team | 10,000 | $29 |',
    '',
    '```js',
    "const chat = document.querySelector('thinnest-chat');",
    "chat.addEventListener('thinnest-chat-reply', (e) => console.log(e.detail.message));",
    '```',
    '',
    '> Quotes work too.',
  ].join('\n');
}

function helpText(): string {
  const rows = Object.entries(MOCK_ERROR_COMMANDS).map(([command, effect]) => `| \`${command}\` | ${effect} |`);
  return ['The mock agent understands these commands:', '', '| command | effect |', '|---|---|', ...rows].join('\n');
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}

async function readBody(request: Request): Promise<{ message: string; session_id?: string } | undefined> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, session_id } = body as Record<string, unknown>;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  if (session_id !== undefined && !isSessionId(session_id)) return undefined;
  return { message, session_id };
}

/** Per-session turns, bounded in sessions and in turns per session. */
class SessionMemory {
  readonly #sessions = new Map<string, string[]>();
  constructor(readonly maxSessions: number) {}

  recall(sessionId: string): readonly string[] {
    return this.#sessions.get(sessionId) ?? [];
  }

  remember(sessionId: string, message: string): void {
    const turns = [...this.recall(sessionId), message].slice(-MAX_TURNS_REMEMBERED);
    this.#sessions.delete(sessionId); // re-insert so Map order is least recently used first
    this.#sessions.set(sessionId, turns);
    if (this.#sessions.size > this.maxSessions) this.#sessions.delete(this.#sessions.keys().next().value!);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** Resolves true after ms, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function hangUntilAborted(signal: AbortSignal): Promise<Response> {
  await sleep(2 ** 31 - 1, signal);
  return json(499, { detail: 'Client closed request' });
}
