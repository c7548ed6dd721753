// src/rules.ts, the rules the widget and the proxy share: what a session id may be, what counts as a
// JSON object, how a secret is kept out of a text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRecord, isSessionId, redactor } from '../../src/rules.js';

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
