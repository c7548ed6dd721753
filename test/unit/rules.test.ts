// src/rules.ts, the rules the widget and the proxy share: what a session id may be, how a
// Retry-After is read, what counts as a JSON object, how a secret is kept out of a text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRecord, isSessionId, parseRetryAfter, redactor } from '../../src/rules.js';

describe('isSessionId', () => {
  it('takes opaque tokens: UUIDs, ULIDs, ids with dots, colons and dashes, up to 128 characters', () => {
    for (const id of ['3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f', '01HZX3K8M2Q7R9T5V6W8Y0Z1A2', 'agent.v2:s-1', 'a'.repeat(128)]) {
      assert.equal(isSessionId(id), true, id);
    }
  });

  it('refuses free text, markup, empty and over-long ids, and anything not a string', () => {
    for (const id of ['', 'a b', '<img src=x>', 'a"b', 'a'.repeat(129), 'ünïcode', null, 42, {}]) {
      assert.equal(isSessionId(id), false, String(id));
    }
  });
});

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord({ a: 1 }), true);
    for (const value of [null, [], 'x', 1, undefined]) assert.equal(isRecord(value), false, String(value));
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('120'), 120);
    assert.equal(parseRetryAfter(' 7 '), 7);
    assert.equal(parseRetryAfter('0'), 0);
  });

  it('caps delta-seconds at a day', () => {
    assert.equal(parseRetryAfter('999999999'), 86_400);
  });

  it('reads an HTTP date as whole seconds from now, rounded up', () => {
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    const at = Date.UTC(2026, 9, 21, 7, 28, 0);
    assert.equal(parseRetryAfter(date, at - 30_000), 30);
    assert.equal(parseRetryAfter(date, at - 30_500), 31);
  });

  it('gives 0 for an HTTP date in the past', () => {
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2026, 0, 1)), 0);
  });

  // Regression (fixed): the HTTP-date form was not capped, so a date years away locked the retry control for years.
  it('caps an HTTP date far in the future at a day, like delta-seconds', () => {
    assert.equal(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', Date.UTC(2026, 0, 1)), 86_400);
  });

  it('ignores a missing or unreadable header', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('redactor', () => {
  it('hides every occurrence of the secret, and leaves other text alone', () => {
    const hide = redactor('agno_secret123');
    assert.equal(hide('key agno_secret123 in agno_secret123/path'), 'key [redacted] in [redacted]/path');
    assert.equal(hide('nothing to hide'), 'nothing to hide');
  });

  it('changes nothing without a secret', () => {
    assert.equal(redactor(undefined)('agno_secret123'), 'agno_secret123');
    assert.equal(redactor('')('text'), 'text');
  });
});
