// src/strings.ts: every visible string, filled in and overridden without a browser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { englishStrings, format, resolveStrings } from '../../src/strings.js';

describe('format', () => {
  it('fills placeholders with strings and numbers, every occurrence', () => {
    assert.equal(format('{count} / {max}', { count: 3, max: 4000 }), '3 / 4000');
    assert.equal(format('{a}{a}-{b}', { a: 'x', b: 0 }), 'xx-0');
  });

  it('leaves unknown placeholders, and inherited names, as they are', () => {
    assert.equal(format('Retry in {seconds} s', {}), 'Retry in {seconds} s');
    assert.equal(format('{toString} {constructor}'), '{toString} {constructor}');
    assert.equal(format('{ seconds }', { seconds: 1 }), '{ seconds }');
  });

  it('does not re-expand placeholders found in values', () => {
    assert.equal(format('{a}', { a: '{b}', b: 'no' }), '{b}');
  });
});

describe('resolveStrings', () => {
  it('is English without overrides', () => {
    for (const overrides of [undefined, null, {}, 'text', 42, ['a']]) {
      assert.deepEqual(resolveStrings(overrides), englishStrings, JSON.stringify(overrides));
    }
  });

  it('lays overrides over English key by key', () => {
    const strings = resolveStrings({ sendButton: 'Senden', chatTitle: 'Hilfe' });
    assert.equal(strings.sendButton, 'Senden');
    assert.equal(strings.chatTitle, 'Hilfe');
    assert.equal(strings.stopButton, englishStrings.stopButton);
    assert.deepEqual(Object.keys(strings).sort(), Object.keys(englishStrings).sort());
  });

  it('ignores non-string values and unknown keys', () => {
    const strings = resolveStrings({ sendButton: 5, stopButton: null, retryButton: { de: 'x' }, unknownKey: 'x' });
    assert.deepEqual(strings, englishStrings);
    assert.ok(!('unknownKey' in strings));
  });

  it('never changes the English defaults', () => {
    const before = { ...englishStrings };
    const strings = resolveStrings({ sendButton: 'Senden' });
    strings.stopButton = 'changed';
    assert.deepEqual(englishStrings, before);
    assert.notEqual(resolveStrings({}), resolveStrings({}));
  });
});
