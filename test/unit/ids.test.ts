// src/ids.ts: session and message ids, with and without crypto.randomUUID (which exists only in
// secure contexts, and some embedded browsers expose but throw).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomId } from '../../src/ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** 200 ids, every one a UUID v4 and no two alike. */
function expectUniqueUuids(): void {
  const ids = Array.from({ length: 200 }, () => randomId());
  for (const id of ids) assert.match(id, UUID_V4);
  assert.equal(new Set(ids).size, 200);
}

describe('randomId', () => {
  const proto = Crypto.prototype as unknown as Record<string, unknown>;
  let saved: PropertyDescriptor | undefined;
  beforeEach(() => {
    saved = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID');
  });
  afterEach(() => {
    if (saved) Object.defineProperty(Crypto.prototype, 'randomUUID', saved);
    assert.equal(typeof crypto.randomUUID, 'function');
  });

  it('makes unique UUID v4 ids', () => {
    expectUniqueUuids();
  });

  it('takes them from crypto.randomUUID where it exists (SPEC §4)', () => {
    const made: string[] = [];
    const real = crypto.randomUUID.bind(crypto);
    Object.defineProperty(Crypto.prototype, 'randomUUID', { configurable: true, writable: true, value: () => made[made.push(real()) - 1] });
    const ids = [randomId(), randomId()];
    assert.deepEqual(ids, made);
  });

  it('makes UUID v4 ids from getRandomValues when crypto.randomUUID is missing', () => {
    assert.ok(saved, 'randomUUID lives on Crypto.prototype');
    delete proto.randomUUID;
    assert.equal(typeof (crypto as Partial<Crypto>).randomUUID, 'undefined');
    expectUniqueUuids();
  });

  it('falls back when crypto.randomUUID throws', () => {
    Object.defineProperty(Crypto.prototype, 'randomUUID', {
      configurable: true,
      writable: true,
      value: () => {
        throw new DOMException('not a secure context', 'SecurityError');
      },
    });
    assert.match(randomId(), UUID_V4);
  });
});
