// Unit tests of the pure modules, in the browser but without the element: the rules the
// widget follows (what a reply must look like, which failures may be retried, what storage
// is trusted) checked one by one.
import { expect } from '@open-wc/testing';
import {
  ENGLISH_DAILY_LIMIT,
  classifyResponse,
  describeFailure,
  parseReply,
  parseRetryAfter,
  type Failure,
  type FailureCode,
} from '../src/proxy-client.js';
import {
  MAX_STORED_MESSAGES,
  STORAGE_VERSION,
  SessionStore,
  parseConversation,
  type Conversation,
} from '../src/session-store.js';
import { configurationProblem, storageKeyFor } from '../src/configuration.js';
import { englishStrings, format, resolveStrings } from '../src/strings.js';
import { randomId } from '../src/ids.js';
import { mergeMessages } from '../src/chat-controller.js';
import { createChatEvent, type ThinnestChatEventName } from '../src/events.js';
import type { ChatMessage } from '../src/types.js';
import { uniqueId } from './helpers/chat.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function replyBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    success: true,
    response: 'Hello **there**',
    session_id: 'abc-123',
    metadata: { model: 'm', latency_ms: 12 },
    ...overrides,
  });
}

function message(id: string, createdAt: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: 'user', text: `text ${id}`, createdAt, ...extra };
}

function envelope(value: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, sessionId: 'session-1', messages: [message('a', 1)], ...value });
}

/** A Storage look-alike whose methods can be made to throw. */
function fakeStorage(
  options: { getItem?: () => never; setItem?: (key: string, value: string) => void; removeItem?: () => never } = {},
) {
  const data = new Map<string, string>();
  const calls = { getItem: 0, setItem: 0, removeItem: 0 };
  const storage = {
    data,
    calls,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    key: (index: number) => [...data.keys()][index] ?? null,
    getItem(key: string): string | null {
      calls.getItem++;
      options.getItem?.();
      return data.has(key) ? data.get(key)! : null;
    },
    setItem(key: string, value: string): void {
      calls.setItem++;
      options.setItem?.(key, value);
      data.set(key, String(value));
    },
    removeItem(key: string): void {
      calls.removeItem++;
      options.removeItem?.();
      data.delete(key);
    },
  };
  return storage as typeof storage & Storage;
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('proxy-client', () => {
  describe('classifyResponse', () => {
    it('accepts the documented success shape', () => {
      const result = classifyResponse(200, replyBody());
      expect(result).to.deep.equal({
        ok: true,
        reply: { success: true, response: 'Hello **there**', session_id: 'abc-123', metadata: { model: 'm', latency_ms: 12 } },
      });
    });

    it('treats any 2xx with the documented body as a reply', () => {
      expect(classifyResponse(201, replyBody()).ok).to.equal(true);
    });

    it('reports a 200 carrying success:false as a server error, not a reply', () => {
      const body = JSON.stringify({ success: false, error: { code: 'agent_error', message: 'no' } });
      expect(classifyResponse(200, body)).to.deep.equal({ ok: false, failure: { code: 'server_error', status: 200 } });
    });

    for (const [label, text] of [
      ['an HTML page', '<!doctype html><h1>Bad gateway</h1>'],
      ['an empty body', ''],
      ['the wrong JSON shape', JSON.stringify({ success: true, reply: 'x', session: 1 })],
      ['JSON null', 'null'],
      ['a JSON array', '[1,2]'],
      ['a reply whose session id is unsafe', replyBody({ session_id: '<script>alert(1)</script>' })],
    ] as const) {
      it(`refuses ${label} with status 200 as invalid_response, never a reply`, () => {
        expect(classifyResponse(200, text)).to.deep.equal({ ok: false, failure: { code: 'invalid_response', status: 200 } });
      });
    }

    const byStatus: Array<[number, FailureCode]> = [
      [400, 'bad_request'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [413, 'payload_too_large'],
      [429, 'rate_limited'],
      [500, 'server_error'],
      [502, 'bad_gateway'],
      [503, 'service_unavailable'],
      [504, 'gateway_timeout'],
      [418, 'http_error'],
      [302, 'http_error'],
    ];
    for (const [status, code] of byStatus) {
      it(`maps HTTP ${status} to ${code}, even when the body looks like a reply`, () => {
        expect(classifyResponse(status, replyBody())).to.deep.equal({ ok: false, failure: { code, status } });
      });
    }

    it('honours Retry-After on 429 only', () => {
      expect(classifyResponse(429, '', '30')).to.deep.equal({
        ok: false,
        failure: { code: 'rate_limited', status: 429, retryAfter: 30 },
      });
      expect(classifyResponse(429, '', null)).to.deep.equal({ ok: false, failure: { code: 'rate_limited', status: 429 } });
      expect(classifyResponse(429, '', 'soon')).to.deep.equal({ ok: false, failure: { code: 'rate_limited', status: 429 } });
      expect(classifyResponse(503, '', '30')).to.deep.equal({ ok: false, failure: { code: 'service_unavailable', status: 503 } });
    });

    it('reads the proxy’s daily_limit 429 as the site’s limit for today, with no countdown to midnight', () => {
      const body = JSON.stringify({ success: false, error: { code: 'daily_limit', message: 'This chat has reached its limit for today.' } });
      expect(classifyResponse(429, body, '41000')).to.deep.equal({ ok: false, failure: { code: 'daily_limit', status: 429 } });
      const error = describeFailure({ code: 'daily_limit', status: 429 }, englishStrings);
      expect(error.message).to.equal('This chat has reached its limit for today. Please come back tomorrow.');
      // A locale's words win over the English.
      expect(describeFailure({ code: 'daily_limit', status: 429 }, resolveStrings({ errorDailyLimit: 'Für heute ist Schluss.' })).message).to.equal('Für heute ist Schluss.');
      expect(error.message).to.not.match(/\d/);
      expect(error.retryable).to.equal(false);
      // A rate limit still counts down, whatever else the body says.
      const limited = JSON.stringify({ success: false, error: { code: 'rate_limited', message: 'x' } });
      expect(classifyResponse(429, limited, '30')).to.deep.equal({ ok: false, failure: { code: 'rate_limited', status: 429, retryAfter: 30 } });
    });
  });

  describe('parseReply', () => {
    it('returns the reply with only the documented fields', () => {
      const reply = parseReply(replyBody({ extra: 'dropped', html: '<b>x</b>' }));
      expect(reply).to.deep.equal({
        success: true,
        response: 'Hello **there**',
        session_id: 'abc-123',
        metadata: { model: 'm', latency_ms: 12 },
      });
    });

    it('gives an empty metadata object when metadata is missing or not an object', () => {
      expect(parseReply(replyBody({ metadata: undefined }))?.metadata).to.deep.equal({});
      expect(parseReply(replyBody({ metadata: [1, 2] }))?.metadata).to.deep.equal({});
      expect(parseReply(replyBody({ metadata: 'fast' }))?.metadata).to.deep.equal({});
      expect(parseReply(replyBody({ metadata: null }))?.metadata).to.deep.equal({});
    });

    it('accepts an empty response string', () => {
      expect(parseReply(replyBody({ response: '' }))?.response).to.equal('');
    });

    for (const [label, text] of [
      ['not JSON', 'Hello'],
      ['an array', '[]'],
      ['a number', '42'],
      ['success as a string', replyBody({ success: 'true' })],
      ['success false', replyBody({ success: false })],
      ['a missing response', replyBody({ response: undefined })],
      ['a non-string response', replyBody({ response: { text: 'hi' } })],
      ['a missing session id', replyBody({ session_id: undefined })],
      ['a numeric session id', replyBody({ session_id: 42 })],
      ['an empty session id', replyBody({ session_id: '' })],
      ['a session id with spaces', replyBody({ session_id: 'a b' })],
      ['a session id over 128 characters', replyBody({ session_id: 'x'.repeat(129) })],
    ] as const) {
      it(`refuses ${label}`, () => {
        expect(parseReply(text)).to.equal(undefined);
      });
    }

    it('accepts opaque session ids made of safe characters, up to 128 long', () => {
      expect(parseReply(replyBody({ session_id: 'sess_A.b:c-9' }))?.session_id).to.equal('sess_A.b:c-9');
      expect(parseReply(replyBody({ session_id: 'x'.repeat(128) }))?.session_id).to.have.length(128);
    });
  });

  describe('parseRetryAfter', () => {
    it('reads delta-seconds', () => {
      expect(parseRetryAfter('120')).to.equal(120);
      expect(parseRetryAfter(' 7 ')).to.equal(7);
      expect(parseRetryAfter('0')).to.equal(0);
    });

    it('caps delta-seconds at a day', () => {
      expect(parseRetryAfter('999999999')).to.equal(86_400);
    });

    it('reads an HTTP date as whole seconds from now, rounded up', () => {
      const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
      const at = Date.UTC(2026, 9, 21, 7, 28, 0);
      expect(parseRetryAfter(date, at - 30_000)).to.equal(30);
      expect(parseRetryAfter(date, at - 30_500)).to.equal(31);
    });

    it('gives 0 for an HTTP date in the past', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2026, 0, 1))).to.equal(0);
    });

    // Regression (fixed): src/proxy-client.ts parseRetryAfter caps delta-seconds at 86_400 but not the HTTP-date
    // form, so `Retry-After: <a date years away>` locks the retry control for years.
    it('caps an HTTP date far in the future at a day, like delta-seconds', () => {
      const now = Date.UTC(2026, 0, 1);
      expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).to.equal(86_400);
    });

    it('ignores a missing or unreadable header', () => {
      expect(parseRetryAfter(null)).to.equal(undefined);
      expect(parseRetryAfter('')).to.equal(undefined);
      expect(parseRetryAfter('soon')).to.equal(undefined);
    });
  });

  describe('describeFailure', () => {
    const cases: Array<[FailureCode, number, string, boolean]> = [
      ['bad_request', 400, englishStrings.errorBadRequest, false],
      ['unauthorized', 401, englishStrings.errorUnavailable, false],
      ['forbidden', 403, englishStrings.errorUnavailable, false],
      ['not_found', 404, englishStrings.errorUnavailable, false],
      ['payload_too_large', 413, englishStrings.errorTooLarge, false],
      ['rate_limited', 429, englishStrings.errorRateLimited, true],
      ['daily_limit', 429, ENGLISH_DAILY_LIMIT, false],
      ['server_error', 500, englishStrings.errorServer, true],
      ['bad_gateway', 502, englishStrings.errorBadGateway, true],
      ['service_unavailable', 503, englishStrings.errorBusy, true],
      ['gateway_timeout', 504, englishStrings.errorGatewayTimeout, true],
      ['network', 0, englishStrings.errorNetwork, true],
      ['offline', 0, englishStrings.errorOffline, true],
      ['invalid_response', 200, englishStrings.errorInvalidResponse, true],
      ['stopped', 0, englishStrings.errorStopped, true],
      ['interrupted', 0, englishStrings.errorInterrupted, true],
      ['misconfigured', 0, englishStrings.errorMisconfigured, false],
    ];
    for (const [code, status, text, retryable] of cases) {
      it(`puts ${code} into words${retryable ? ', retryable' : ', not retryable'}`, () => {
        expect(describeFailure({ code, status }, englishStrings)).to.deep.equal({ code, status, message: text, retryable });
      });
    }

    it('names the status of an unexpected HTTP error', () => {
      const error = describeFailure({ code: 'http_error', status: 418 }, englishStrings);
      expect(error.message).to.equal('Something went wrong (error 418). Try again.');
      expect(error.retryable).to.equal(true);
    });

    it('says how long it waited on a timeout', () => {
      const error = describeFailure({ code: 'timeout', status: 0 }, englishStrings, 30_000);
      expect(error).to.deep.equal({
        code: 'timeout',
        status: 0,
        message: 'No answer after 30 s. Check your connection and try again.',
        retryable: true,
      });
      expect(describeFailure({ code: 'timeout', status: 0 }, englishStrings).message).to.contain('60 s');
    });

    it('says when a rate-limited message can be retried, and keeps retryAfter', () => {
      const error = describeFailure({ code: 'rate_limited', status: 429, retryAfter: 12 }, englishStrings);
      expect(error.message).to.equal('Too many messages in a short time. You can retry in 12 s.');
      expect(error.retryAfter).to.equal(12);
      expect(describeFailure({ code: 'rate_limited', status: 429, retryAfter: 0 }, englishStrings).message).to.equal(
        englishStrings.errorRateLimited,
      );
    });

    it('uses the overridden strings', () => {
      const strings = resolveStrings({ errorServer: 'Serverfehler.', errorUnknown: 'Fehler {status}.' });
      expect(describeFailure({ code: 'server_error', status: 500 }, strings).message).to.equal('Serverfehler.');
      expect(describeFailure({ code: 'http_error', status: 599 }, strings).message).to.equal('Fehler 599.');
    });

    it('does not mutate the failure it describes', () => {
      const failure: Failure = { code: 'rate_limited', status: 429, retryAfter: 3 };
      describeFailure(failure, englishStrings);
      expect(failure).to.deep.equal({ code: 'rate_limited', status: 429, retryAfter: 3 });
    });
  });

  describe('configurationProblem', () => {
    it('accepts a relative or absolute http(s) proxy URL and harmless headers', () => {
      expect(configurationProblem('/api/chat', {})).to.equal(null);
      expect(configurationProblem('https://example.com/api/chat', { 'X-CSRF-Token': 'abc123' })).to.equal(null);
      expect(configurationProblem('http://localhost:8787/api/chat', undefined)).to.equal(null);
    });

    it('asks for a proxy-url when there is none', () => {
      expect(configurationProblem(undefined, {})).to.contain('set the proxy-url');
      expect(configurationProblem('', {})).to.contain('set the proxy-url');
    });

    for (const url of [
      'https://api.thinnest.ai/v1/agents/a1/chat',
      'HTTPS://API.THINNEST.AI/v1/agents/a1/chat',
      'https://Api.Thinnest.Ai:443/',
      'https://api.thinnest.ai./v1/agents/a1/chat',
      'http://api.thinnest.ai/',
      'https://user:pass@api.thinnest.ai/',
      '//api.thinnest.ai/v1/agents/a1/chat',
      'https://api%2Ethinnest%2Eai/',
    ]) {
      it(`refuses ${url}: keys belong on a proxy`, () => {
        const problem = configurationProblem(url, {});
        expect(problem).to.be.a('string');
        expect(problem).to.contain('api.thinnest.ai');
        expect(problem).to.contain('proxy');
      });
    }

    it('does not mistake other hosts for the API', () => {
      expect(configurationProblem('https://api.thinnest.ai.example.com/chat', {})).to.equal(null);
      expect(configurationProblem('https://example.com/api.thinnest.ai', {})).to.equal(null);
    });

    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/plain,hi', 'ftp://example.com/chat']) {
      it(`refuses the non-http URL ${url}`, () => {
        expect(configurationProblem(url, {})).to.contain('must be an http(s) URL');
      });
    }

    it('refuses a URL it cannot parse', () => {
      expect(configurationProblem('http://[::1', {})).to.contain('is not a valid URL');
    });

    for (const value of ['agno_live_abc', 'Bearer agno_abc', 'Bearer AGNO_ABC']) {
      it(`refuses a header value that looks like an Agent API key (${value})`, () => {
        const problem = configurationProblem('/api/chat', { Authorization: value });
        expect(problem).to.contain('Agent API key');
        expect(problem).to.contain('Authorization');
        expect(problem).to.not.contain(value);
      });
    }

    for (const name of ['Bad Header', 'x:y', 'caf\u00e9', '', 'x\ny']) {
      it(`refuses the invalid header name ${JSON.stringify(name)}`, () => {
        expect(configurationProblem('/api/chat', { [name]: 'v' })).to.contain('is not a valid header name');
      });
    }

    it('refuses a header value that is not a string', () => {
      const headers = { 'X-Count': 3 } as unknown as Record<string, string>;
      expect(configurationProblem('/api/chat', headers)).to.contain('must be a string');
    });
  });
});

describe('session-store', () => {
  describe('parseConversation', () => {
    it('reads a stored conversation, copying known fields only', () => {
      const raw = JSON.stringify({
        v: 1,
        sessionId: 'session-1',
        foreign: true,
        messages: [
          { id: 'a', role: 'user', text: 'hi', createdAt: 1, evil: '<img onerror=x>' },
          { id: 'b', role: 'assistant', text: 'hello', createdAt: 2, metadata: { model: 'm' } },
          {
            id: 'c',
            role: 'user',
            text: 'again',
            createdAt: 3,
            status: 'failed',
            error: { code: 'rate_limited', status: 429, message: 'wait', retryable: true, retryAfter: 5, extra: 1 },
            retryAt: 99,
          },
        ],
      });
      expect(parseConversation(raw)).to.deep.equal({
        sessionId: 'session-1',
        messages: [
          { id: 'a', role: 'user', text: 'hi', createdAt: 1 },
          { id: 'b', role: 'assistant', text: 'hello', createdAt: 2, metadata: { model: 'm' } },
          {
            id: 'c',
            role: 'user',
            text: 'again',
            createdAt: 3,
            status: 'failed',
            error: { code: 'rate_limited', status: 429, message: 'wait', retryable: true, retryAfter: 5 },
            retryAt: 99,
          },
        ],
      });
    });

    it('accepts a null session id (nothing sent yet)', () => {
      expect(parseConversation(JSON.stringify({ v: 1, sessionId: null, messages: [] }))).to.deep.equal({
        sessionId: null,
        messages: [],
      });
    });

    it('keeps only the newest 200 messages', () => {
      const messages = Array.from({ length: 250 }, (_, i) => message(`m${i}`, i));
      const parsed = parseConversation(JSON.stringify({ v: 1, sessionId: 's', messages }));
      expect(MAX_STORED_MESSAGES).to.equal(200);
      expect(parsed.messages).to.have.length(200);
      expect(parsed.messages[0].id).to.equal('m50');
      expect(parsed.messages.at(-1)!.id).to.equal('m249');
    });

    const fresh: Conversation = { sessionId: null, messages: [] };
    const rejected: Array<[string, string | null]> = [
      ['nothing stored', null],
      ['an empty string', ''],
      ['corrupt JSON', '{"v":1,"sessionId":'],
      ['JSON null', 'null'],
      ['a JSON string', '"hello"'],
      ['an array', JSON.stringify([{ v: 1 }])],
      ['a foreign shape', JSON.stringify({ user: 'x', history: [] })],
      ['an old version (v:0)', envelope({ v: 0 })],
      ['a newer version (v:2)', envelope({ v: 2 })],
      ['a version as a string', envelope({ v: '1' })],
      ['no version', JSON.stringify({ sessionId: 'session-1', messages: [] })],
      ['a session id with spaces', envelope({ sessionId: 'bad id' })],
      ['a session id with markup', envelope({ sessionId: '<img src=x>' })],
      ['a numeric session id', envelope({ sessionId: 42 })],
      ['a missing session id', JSON.stringify({ v: 1, messages: [] })],
      ['messages not an array', envelope({ messages: { a: 1 } })],
      ['missing messages', JSON.stringify({ v: 1, sessionId: 's' })],
      ['a message without an id', envelope({ messages: [{ role: 'user', text: 'x', createdAt: 1 }] })],
      ['a message with an empty id', envelope({ messages: [message('', 1)] })],
      ['a message with an id over 128 characters', envelope({ messages: [message('x'.repeat(129), 1)] })],
      ['a message with an unknown role', envelope({ messages: [message('a', 1, { role: 'system' as 'user' })] })],
      ['a message whose text is not a string', envelope({ messages: [{ id: 'a', role: 'user', text: 5, createdAt: 1 }] })],
      ['a message whose createdAt is a string', envelope({ messages: [{ id: 'a', role: 'user', text: 'x', createdAt: '1' }] })],
      ['a message with an unknown status', envelope({ messages: [{ ...message('a', 1), status: 'sent' }] })],
      ['a message with a malformed error', envelope({ messages: [{ ...message('a', 1), status: 'failed', error: { code: 1 } }] })],
      ['a message with a non-numeric retryAt', envelope({ messages: [{ ...message('a', 1), retryAt: 'soon' }] })],
      ['a message with array metadata', envelope({ messages: [{ ...message('a', 1), metadata: [1] }] })],
      ['a message that is not an object', envelope({ messages: ['hello'] })],
      ['duplicate message ids', envelope({ messages: [message('a', 1), message('a', 2)] })],
    ];
    for (const [label, raw] of rejected) {
      it(`starts fresh on ${label}, without throwing`, () => {
        expect(parseConversation(raw)).to.deep.equal(fresh);
      });
    }

    it('returns a new conversation each time, so callers cannot share state by accident', () => {
      const raw = envelope({});
      const a = parseConversation(raw);
      const b = parseConversation(raw);
      expect(a).to.deep.equal(b);
      expect(a.messages).to.not.equal(b.messages);
      expect(parseConversation(null)).to.not.equal(parseConversation(null));
    });
  });

  describe('storageKeyFor', () => {
    it('namespaces an explicit storage-key', () => {
      expect(storageKeyFor('support', '/api/chat')).to.equal('thinnest-chat:support');
      expect(storageKeyFor('support', undefined)).to.equal('thinnest-chat:support');
    });

    it('derives the key from the absolute proxy-url when there is no storage-key', () => {
      expect(storageKeyFor(undefined, '/api/chat')).to.equal(`thinnest-chat:${location.origin}/api/chat`);
      expect(storageKeyFor('', '/api/chat')).to.equal(`thinnest-chat:${location.origin}/api/chat`);
      expect(storageKeyFor(undefined, 'HTTPS://Example.COM/api/chat')).to.equal('thinnest-chat:https://example.com/api/chat');
    });

    it('gives the same key to the same proxy spelled relatively and absolutely', () => {
      expect(storageKeyFor(undefined, '/api/chat')).to.equal(storageKeyFor(undefined, `${location.origin}/api/chat`));
    });

    it('gives different proxies different keys', () => {
      expect(storageKeyFor(undefined, '/a/chat')).to.not.equal(storageKeyFor(undefined, '/b/chat'));
      expect(storageKeyFor(undefined, 'https://one.example/chat')).to.not.equal(
        storageKeyFor(undefined, 'https://two.example/chat'),
      );
    });

    it('still makes a distinct key from a URL it cannot parse, without throwing', () => {
      expect(storageKeyFor(undefined, 'http://[::1')).to.equal('thinnest-chat:http://[::1');
    });
  });

  describe('SessionStore', () => {
    const conversation = (count: number, sessionId = 'session-1', text = ''): Conversation => ({
      sessionId,
      messages: Array.from({ length: count }, (_, i) => message(`m${i}`, i, text ? { text } : {})),
    });

    it('starts empty and round-trips a conversation through its storage, versioned', () => {
      const storage = fakeStorage();
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      expect(store.load()).to.deep.equal({ sessionId: null, messages: [] });
      store.save(conversation(3));
      expect(JSON.parse(storage.data.get(store.key)!)).to.deep.equal({ v: STORAGE_VERSION, ...conversation(3) });
      expect(STORAGE_VERSION).to.equal(1);
      expect(store.load()).to.deep.equal(conversation(3));
      expect(new SessionStore(store.key, 'local', storage).load()).to.deep.equal(conversation(3));
      expect(store.inMemory).to.equal(false);
    });

    it('saves only the newest 200 messages', () => {
      const storage = fakeStorage();
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      store.save(conversation(230));
      const saved = JSON.parse(storage.data.get(store.key)!);
      expect(saved.messages).to.have.length(200);
      expect(saved.messages[0].id).to.equal('m30');
      expect(saved.messages.at(-1).id).to.equal('m229');
    });

    it('falls back to memory when reading throws, and keeps working', () => {
      const storage = fakeStorage({
        getItem: () => {
          throw new DOMException('blocked', 'SecurityError');
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      expect(() => store.load()).to.not.throw();
      expect(store.inMemory).to.equal(true);
      store.save(conversation(2));
      expect(storage.calls.setItem).to.equal(0);
      expect(store.load()).to.deep.equal(conversation(2));
    });

    it('falls back to memory when writing throws, and keeps the conversation', () => {
      const storage = fakeStorage({
        setItem: () => {
          throw new DOMException('denied', 'SecurityError');
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      expect(() => store.save(conversation(2))).to.not.throw();
      expect(store.inMemory).to.equal(true);
      expect(storage.data.size).to.equal(0);
      expect(store.load()).to.deep.equal(conversation(2));
    });

    it('on a full quota keeps the newest messages that fit, in storage', () => {
      const storage = fakeStorage({
        setItem: (_key, value) => {
          if (value.length > 20_000) throw quotaError();
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      store.save(conversation(120, 'session-1', 'x'.repeat(300)));
      expect(store.inMemory).to.equal(false);
      const saved = parseConversation(storage.data.get(store.key)!);
      expect(saved.sessionId).to.equal('session-1');
      expect(saved.messages.map((m) => m.id)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `m${70 + i}`));
    });

    it('keeps at least the session when no message fits', () => {
      const storage = fakeStorage({
        setItem: (_key, value) => {
          if (value.length > 100) throw quotaError();
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      store.save(conversation(5, 'session-1', 'x'.repeat(300)));
      expect(parseConversation(storage.data.get(store.key)!)).to.deep.equal({ sessionId: 'session-1', messages: [] });
    });

    it('falls back to memory when even an empty transcript exceeds the quota', () => {
      const storage = fakeStorage({
        setItem: () => {
          throw quotaError();
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      expect(() => store.save(conversation(3))).to.not.throw();
      expect(store.inMemory).to.equal(true);
      expect(store.load()).to.deep.equal(conversation(3));
    });

    it('clears storage and memory', () => {
      const storage = fakeStorage();
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      store.save(conversation(2));
      store.clear();
      expect(storage.data.has(store.key)).to.equal(false);
      expect(store.load()).to.deep.equal({ sessionId: null, messages: [] });
    });

    it('clear does not throw when removing throws', () => {
      const storage = fakeStorage({
        removeItem: () => {
          throw new DOMException('denied', 'SecurityError');
        },
      });
      const store = new SessionStore(`k-${uniqueId()}`, 'local', storage);
      expect(() => store.clear()).to.not.throw();
      expect(store.inMemory).to.equal(true);
    });

    it('persist="none" keeps the conversation in memory only, for the page', () => {
      const key = `thinnest-chat:units-${uniqueId()}`;
      const store = new SessionStore(key, 'none');
      expect(store.inMemory).to.equal(true);
      store.save(conversation(2));
      expect(localStorage.getItem(key)).to.equal(null);
      expect(sessionStorage.getItem(key)).to.equal(null);
      expect(new SessionStore(key, 'none').load()).to.deep.equal(conversation(2));
      store.clear();
    });

    it('uses localStorage for "local" and sessionStorage for "session" by default', () => {
      const key = `thinnest-chat:units-${uniqueId()}`;
      try {
        new SessionStore(key, 'local').save(conversation(1, 'local-session'));
        new SessionStore(key, 'session').save(conversation(1, 'tab-session'));
        expect(parseConversation(localStorage.getItem(key)).sessionId).to.equal('local-session');
        expect(parseConversation(sessionStorage.getItem(key)).sessionId).to.equal('tab-session');
      } finally {
        localStorage.removeItem(key);
        sessionStorage.removeItem(key);
      }
    });

    describe('subscribe (another tab)', () => {
      let key: string;
      beforeEach(() => {
        key = `thinnest-chat:units-${uniqueId()}`;
      });
      afterEach(() => localStorage.removeItem(key));

      const fire = (init: StorageEventInit) => window.dispatchEvent(new StorageEvent('storage', init));

      it("calls back with the other tab's conversation, and stops after unsubscribing", () => {
        const store = new SessionStore(key, 'local', localStorage);
        const seen: Conversation[] = [];
        const unsubscribe = store.subscribe((c) => seen.push(c));
        fire({ key, newValue: envelope({}), storageArea: localStorage });
        expect(seen).to.deep.equal([{ sessionId: 'session-1', messages: [message('a', 1)] }]);
        unsubscribe();
        fire({ key, newValue: envelope({}), storageArea: localStorage });
        expect(seen).to.have.length(1);
      });

      it('hears a cleared storage (key null) as an empty conversation', () => {
        const store = new SessionStore(key, 'local', localStorage);
        const seen: Conversation[] = [];
        const unsubscribe = store.subscribe((c) => seen.push(c));
        fire({ key: null, newValue: null, storageArea: localStorage });
        unsubscribe();
        expect(seen).to.deep.equal([{ sessionId: null, messages: [] }]);
      });

      it('ignores other keys and other storage areas', () => {
        const store = new SessionStore(key, 'local', localStorage);
        const seen: Conversation[] = [];
        const unsubscribe = store.subscribe((c) => seen.push(c));
        fire({ key: `${key}-other`, newValue: envelope({}), storageArea: localStorage });
        fire({ key, newValue: envelope({}), storageArea: sessionStorage });
        unsubscribe();
        expect(seen).to.have.length(0);
      });

      it('a memory-only store does not listen', () => {
        const store = new SessionStore(key, 'none');
        const seen: Conversation[] = [];
        const unsubscribe = store.subscribe((c) => seen.push(c));
        fire({ key, newValue: envelope({}), storageArea: localStorage });
        unsubscribe();
        expect(seen).to.have.length(0);
      });
    });
  });
});

describe('strings', () => {
  describe('format', () => {
    it('fills placeholders with strings and numbers, every occurrence', () => {
      expect(format('{count} / {max}', { count: 3, max: 4000 })).to.equal('3 / 4000');
      expect(format('{a}{a}-{b}', { a: 'x', b: 0 })).to.equal('xx-0');
    });

    it('leaves unknown placeholders, and inherited names, as they are', () => {
      expect(format('Retry in {seconds} s', {})).to.equal('Retry in {seconds} s');
      expect(format('{toString} {constructor}')).to.equal('{toString} {constructor}');
      expect(format('{ seconds }', { seconds: 1 })).to.equal('{ seconds }');
    });

    it('does not re-expand placeholders found in values', () => {
      expect(format('{a}', { a: '{b}', b: 'no' })).to.equal('{b}');
    });
  });

  describe('resolveStrings', () => {
    it('is English without overrides', () => {
      for (const overrides of [undefined, null, {}, 'text', 42, ['a']]) {
        expect(resolveStrings(overrides)).to.deep.equal(englishStrings);
      }
    });

    it('lays overrides over English key by key', () => {
      const strings = resolveStrings({ sendButton: 'Senden', chatTitle: 'Hilfe' });
      expect(strings.sendButton).to.equal('Senden');
      expect(strings.chatTitle).to.equal('Hilfe');
      expect(strings.stopButton).to.equal(englishStrings.stopButton);
      expect(Object.keys(strings).sort()).to.deep.equal(Object.keys(englishStrings).sort());
    });

    it('ignores non-string values and unknown keys', () => {
      const strings = resolveStrings({ sendButton: 5, stopButton: null, retryButton: { de: 'x' }, unknownKey: 'x' });
      expect(strings).to.deep.equal(englishStrings);
      expect(strings).to.not.have.property('unknownKey');
    });

    it('never changes the English defaults', () => {
      const before = { ...englishStrings };
      const strings = resolveStrings({ sendButton: 'Senden' });
      strings.stopButton = 'changed';
      expect(englishStrings).to.deep.equal(before);
      expect(resolveStrings({})).to.not.equal(resolveStrings({}));
    });
  });
});

describe('ids.randomId', () => {
  const proto = Crypto.prototype as unknown as Record<string, unknown>;
  let saved: PropertyDescriptor | undefined;
  beforeEach(() => {
    saved = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID');
  });
  afterEach(() => {
    if (saved) Object.defineProperty(Crypto.prototype, 'randomUUID', saved);
    expect(typeof crypto.randomUUID).to.equal('function');
  });

  it('makes unique UUID v4 ids', () => {
    const ids = Array.from({ length: 200 }, () => randomId());
    for (const id of ids) expect(id).to.match(UUID_V4);
    expect(new Set(ids).size).to.equal(200);
  });

  it('makes UUID v4 ids from getRandomValues when crypto.randomUUID is missing', () => {
    expect(saved, 'randomUUID lives on Crypto.prototype').to.exist;
    delete proto.randomUUID;
    expect(typeof (crypto as Partial<Crypto>).randomUUID).to.equal('undefined');
    const ids = Array.from({ length: 200 }, () => randomId());
    for (const id of ids) expect(id).to.match(UUID_V4);
    expect(new Set(ids).size).to.equal(200);
  });

  it('falls back when crypto.randomUUID throws', () => {
    Object.defineProperty(Crypto.prototype, 'randomUUID', {
      configurable: true,
      writable: true,
      value: () => {
        throw new DOMException('not a secure context', 'SecurityError');
      },
    });
    const id = randomId();
    expect(id).to.match(UUID_V4);
  });
});

describe('chat-controller.mergeMessages', () => {
  const delivered = (id: string, at: number) => message(id, at);
  const pending = (id: string, at: number) => message(id, at, { status: 'pending' });
  const failed = (id: string, at: number) =>
    message(id, at, { status: 'failed', error: { code: 'network', status: 0, message: 'x', retryable: true } });

  it("is the union of both tabs' messages by id, in time order", () => {
    const local = [delivered('a', 1), delivered('c', 3)];
    const remote = [delivered('a', 1), delivered('b', 2), delivered('d', 4)];
    expect(mergeMessages(local, remote, null).map((m) => m.id)).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('orders messages of the same millisecond by id, whichever tab merges: two tabs settle on one order', () => {
    const mine = [delivered('a', 1), delivered('y', 5)];
    const theirs = [delivered('a', 1), delivered('x', 5)];
    expect(mergeMessages(mine, theirs, null).map((m) => m.id)).to.deep.equal(['a', 'x', 'y']);
    expect(mergeMessages(theirs, mine, null).map((m) => m.id)).to.deep.equal(['a', 'x', 'y']);
  });

  it("keeps an unchanged message as this tab's object, so what was rendered from it stays", () => {
    const local = [delivered('a', 1)];
    expect(mergeMessages(local, [delivered('a', 1)], null)[0]).to.equal(local[0]);
  });

  it('keeps the further-along copy of a message: delivered over failed over pending', () => {
    expect(mergeMessages([pending('a', 1)], [delivered('a', 1)], null)[0].status).to.equal(undefined);
    expect(mergeMessages([delivered('a', 1)], [pending('a', 1)], null)[0].status).to.equal(undefined);
    expect(mergeMessages([failed('a', 1)], [pending('a', 1)], null)[0].status).to.equal('failed');
    expect(mergeMessages([pending('a', 1)], [failed('a', 1)], null)[0].status).to.equal('failed');
    expect(mergeMessages([failed('a', 1)], [delivered('a', 1)], null)[0].status).to.equal(undefined);
  });

  it('takes a later send of a message (another tab retrying it) over an earlier send that failed, but never over its delivery', () => {
    expect(mergeMessages([failed('a', 1)], [pending('a', 2)], null)[0].status).to.equal('pending');
    expect(mergeMessages([pending('a', 2)], [failed('a', 1)], null)[0].status).to.equal('pending');
    expect(mergeMessages([failed('a', 2)], [pending('a', 2)], null)[0].status).to.equal('failed');
    expect(mergeMessages([delivered('a', 1)], [pending('a', 2)], null)[0].status).to.equal(undefined);
  });

  it('prefers the remote copy when both are equally far along', () => {
    const local = [{ ...delivered('a', 1), text: 'local' }];
    const remote = [{ ...delivered('a', 1), text: 'remote' }];
    expect(mergeMessages(local, remote, null)[0].text).to.equal('remote');
  });

  it('keeps the local copy of the message this tab has in flight', () => {
    const merged = mergeMessages([pending('a', 1)], [failed('a', 1)], 'a');
    expect(merged).to.have.length(1);
    expect(merged[0].status).to.equal('pending');
  });

  it('does not change its inputs', () => {
    const local = [delivered('b', 2), pending('a', 1)];
    const remote = [delivered('a', 1)];
    const before = JSON.stringify([local, remote]);
    mergeMessages(local, remote, null);
    expect(JSON.stringify([local, remote])).to.equal(before);
  });
});

describe('events.createChatEvent', () => {
  const names: ThinnestChatEventName[] = [
    'thinnest-chat-send',
    'thinnest-chat-reply',
    'thinnest-chat-error',
    'thinnest-chat-session',
    'thinnest-chat-toggle',
  ];
  for (const name of names) {
    it(`makes ${name} a bubbling, composed CustomEvent${name === 'thinnest-chat-send' ? ', cancelable' : ', not cancelable'}`, () => {
      const detail = { open: true } as never;
      const event = createChatEvent(name, detail);
      expect(event).to.be.instanceOf(CustomEvent);
      expect(event.type).to.equal(name);
      expect(event.detail).to.equal(detail);
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.cancelable).to.equal(name === 'thinnest-chat-send');
    });
  }

  it('reaches the page from inside a shadow root, and only send can be prevented', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const heard: string[] = [];
    const listener = (event: Event) => {
      heard.push(event.type);
      event.preventDefault();
    };
    try {
      document.addEventListener('thinnest-chat-send', listener);
      document.addEventListener('thinnest-chat-reply', listener);
      const sent = inner.dispatchEvent(createChatEvent('thinnest-chat-send', { message: 'hi', sessionId: 's' }));
      const replied = inner.dispatchEvent(
        createChatEvent('thinnest-chat-reply', { message: 'yo', sessionId: 's', metadata: {} }),
      );
      expect(heard).to.deep.equal(['thinnest-chat-send', 'thinnest-chat-reply']);
      expect(sent).to.equal(false);
      expect(replied).to.equal(true);
    } finally {
      document.removeEventListener('thinnest-chat-send', listener);
      document.removeEventListener('thinnest-chat-reply', listener);
      host.remove();
    }
  });
});
