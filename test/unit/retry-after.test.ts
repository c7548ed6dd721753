// src/retry-after.ts, how the widget and the proxy read a Retry-After.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/retry-after.js';

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
