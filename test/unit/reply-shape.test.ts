// src/reply-shape.ts, the success shape as the widget and the proxy both read it (SPEC §2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { successShape } from '../../src/reply-shape.js';

const good = { success: true, response: 'Hello', session_id: 'sess-1', metadata: { model: 'm', latency_ms: 12 } };

describe('successShape', () => {
  it('rebuilds the documented fields and nothing else', () => {
    assert.deepEqual(successShape({ ...good, html: '<b>x</b>', extra: 1 }), good);
    assert.equal(successShape({ ...good, response: '' })?.response, '', 'an empty answer is still an answer');
  });

  it('keeps what metadata holds, and makes anything but an object {}', () => {
    assert.deepEqual(successShape({ ...good, metadata: { model: 'm', sources: ['a'] } })?.metadata, { model: 'm', sources: ['a'] });
    for (const metadata of [undefined, null, 'text', 3, ['m']]) {
      assert.deepEqual(successShape({ ...good, metadata })?.metadata, {}, JSON.stringify(metadata));
    }
  });

  it('refuses anything off the shape', () => {
    const off: unknown[] = [
      null,
      'Hello',
      [good],
      { ...good, success: 'true' },
      { ...good, success: false },
      { ...good, response: 42 },
      { ...good, response: undefined },
      { ...good, session_id: undefined },
      { ...good, session_id: 7 },
      { ...good, session_id: 'free text with spaces' },
      { ...good, session_id: 'x'.repeat(129) },
    ];
    for (const value of off) assert.equal(successShape(value), undefined, JSON.stringify(value));
  });

  it('takes any session id the widget can send back', () => {
    for (const id of ['sess_A.b:c-9', 'x'.repeat(128), '0f8fad5b-d9cb-469f-a165-70867728950e']) assert.equal(successShape({ ...good, session_id: id })?.session_id, id);
  });
});
