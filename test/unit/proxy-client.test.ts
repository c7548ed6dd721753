// src/proxy-client.ts, without a browser: what a reply must look like to be shown, how each
// failure is classified and put into words, and which ones the visitor may retry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyResponse,
  describeFailure,
  parseReply,
  type Failure,
  type FailureCode,
} from '../../src/proxy-client.js';
import { resolveStrings } from '../../src/strings.js';
import { englishStrings } from '../../src/english.js';

function replyBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    success: true,
    response: 'Hello **there**',
    session_id: 'abc-123',
    metadata: { model: 'm', latency_ms: 12 },
    ...overrides,
  });
}

describe('classifyResponse', () => {
  it('reads the proxy’s daily_limit 429 as the site’s limit for today, with no countdown to midnight', () => {
    const body = JSON.stringify({ success: false, error: { code: 'daily_limit', message: 'This chat has reached its limit for today.' } });
    assert.deepEqual(classifyResponse(429, body, '41000'), { ok: false, failure: { code: 'daily_limit', status: 429 } });
    const error = describeFailure({ code: 'daily_limit', status: 429 }, englishStrings);
    assert.equal(error.message, 'This chat has reached its limit for today. Please come back tomorrow.');
    // A locale's words win over the English.
    assert.equal(describeFailure({ code: 'daily_limit', status: 429 }, resolveStrings({ errorDailyLimit: 'Für heute ist Schluss.' })).message, 'Für heute ist Schluss.');
    assert.doesNotMatch(error.message, /\d/);
    assert.equal(error.retryable, false);
    // A rate limit still counts down, whatever else the body says.
    const limited = JSON.stringify({ success: false, error: { code: 'rate_limited', message: 'x' } });
    assert.deepEqual(classifyResponse(429, limited, '30'), { ok: false, failure: { code: 'rate_limited', status: 429, retryAfter: 30 } });
  });

  it('accepts the documented success shape', () => {
    assert.deepEqual(classifyResponse(200, replyBody()), {
      ok: true,
      reply: { success: true, response: 'Hello **there**', session_id: 'abc-123', metadata: { model: 'm', latency_ms: 12 } },
    });
  });

  it('treats any 2xx with the documented body as a reply', () => {
    assert.equal(classifyResponse(201, replyBody()).ok, true);
  });

  it('reports a 200 carrying success:false as a server error, not a reply', () => {
    const body = JSON.stringify({ success: false, error: { code: 'agent_error', message: 'no' } });
    assert.deepEqual(classifyResponse(200, body), { ok: false, failure: { code: 'server_error', status: 200 } });
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
      assert.deepEqual(classifyResponse(200, text), { ok: false, failure: { code: 'invalid_response', status: 200 } });
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
      assert.deepEqual(classifyResponse(status, replyBody()), { ok: false, failure: { code, status } });
    });
  }

  it('honours Retry-After on 429 only', () => {
    assert.deepEqual(classifyResponse(429, '', '30'), { ok: false, failure: { code: 'rate_limited', status: 429, retryAfter: 30 } });
    assert.deepEqual(classifyResponse(429, '', null), { ok: false, failure: { code: 'rate_limited', status: 429 } });
    assert.deepEqual(classifyResponse(429, '', 'soon'), { ok: false, failure: { code: 'rate_limited', status: 429 } });
    assert.deepEqual(classifyResponse(503, '', '30'), { ok: false, failure: { code: 'service_unavailable', status: 503 } });
  });
});

describe('parseReply', () => {
  it('returns the reply with only the documented fields', () => {
    assert.deepEqual(parseReply(replyBody({ extra: 'dropped', html: '<b>x</b>' })), {
      success: true,
      response: 'Hello **there**',
      session_id: 'abc-123',
      metadata: { model: 'm', latency_ms: 12 },
    });
  });

  it('gives an empty metadata object when metadata is missing or not an object', () => {
    for (const metadata of [undefined, [1, 2], 'fast', null]) {
      assert.deepEqual(parseReply(replyBody({ metadata }))?.metadata, {}, JSON.stringify(metadata));
    }
  });

  it('accepts an empty response string', () => {
    assert.equal(parseReply(replyBody({ response: '' }))?.response, '');
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
      assert.equal(parseReply(text), undefined);
    });
  }

  it('accepts opaque session ids made of safe characters, up to 128 long', () => {
    assert.equal(parseReply(replyBody({ session_id: 'sess_A.b:c-9' }))?.session_id, 'sess_A.b:c-9');
    assert.equal(parseReply(replyBody({ session_id: 'x'.repeat(128) }))?.session_id.length, 128);
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
    ['daily_limit', 429, englishStrings.errorDailyLimit, false],
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
      assert.deepEqual(describeFailure({ code, status }, englishStrings), { code, status, message: text, retryable });
    });
  }

  it('names the status of an unexpected HTTP error', () => {
    const error = describeFailure({ code: 'http_error', status: 418 }, englishStrings);
    assert.equal(error.message, 'Something went wrong (error 418). Try again.');
    assert.equal(error.retryable, true);
  });

  it('says how long it waited on a timeout', () => {
    assert.deepEqual(describeFailure({ code: 'timeout', status: 0 }, englishStrings, 30_000), {
      code: 'timeout',
      status: 0,
      message: 'No answer after 30 s. Check your connection and try again.',
      retryable: true,
    });
    assert.match(describeFailure({ code: 'timeout', status: 0 }, englishStrings).message, /60 s/);
  });

  it('says when a rate-limited message can be retried, and keeps retryAfter', () => {
    const error = describeFailure({ code: 'rate_limited', status: 429, retryAfter: 12 }, englishStrings);
    assert.equal(error.message, 'Too many messages in a short time. You can retry in 12 s.');
    assert.equal(error.retryAfter, 12);
    assert.equal(describeFailure({ code: 'rate_limited', status: 429, retryAfter: 0 }, englishStrings).message, englishStrings.errorRateLimited);
  });

  it('uses the overridden strings', () => {
    const strings = resolveStrings({ errorServer: 'Serverfehler.', errorUnknown: 'Fehler {status}.' });
    assert.equal(describeFailure({ code: 'server_error', status: 500 }, strings).message, 'Serverfehler.');
    assert.equal(describeFailure({ code: 'http_error', status: 599 }, strings).message, 'Fehler 599.');
  });

  it('does not mutate the failure it describes', () => {
    const failure: Failure = { code: 'rate_limited', status: 429, retryAfter: 3 };
    describeFailure(failure, englishStrings);
    assert.deepEqual(failure, { code: 'rate_limited', status: 429, retryAfter: 3 });
  });
});
