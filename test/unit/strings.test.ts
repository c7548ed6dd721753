// src/strings.ts: every visible string, filled in and overridden without a browser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launcherEnglish, format, resolveStrings } from '../../src/strings.js';
import { englishStrings } from '../../src/english.js';

describe('format', () => {
  it('fills placeholders with strings and numbers, every occurrence', () => {
    assert.equal(format('{count} / {max}', { count: 3, max: 4000 }), '3 / 4000');
    assert.equal(format('{a}{a}-{b}', { a: 'x', b: 0 }), 'xx-0');
  });

  it('leaves unknown placeholders, and inherited names, as they are', () => {
    assert.equal(format('Retry in {seconds} s', {}), 'Retry in {seconds} s');
    assert.equal(format('{toString} {constructor}', {}), '{toString} {constructor}');
    assert.equal(format('{ seconds }', { seconds: 1 }), '{ seconds }');
  });

  it('does not re-expand placeholders found in values', () => {
    assert.equal(format('{a}', { a: '{b}', b: 'no' }), '{b}');
  });
});

describe('englishStrings', () => {
  it('is the whole English: the words of the launcher file and those the chunks keep, none empty', () => {
    for (const key of Object.keys(launcherEnglish)) assert.ok(key in englishStrings, key);
    for (const [key, text] of Object.entries(englishStrings)) assert.notEqual(text, '', key);
    // The words only a chunk shows are not in the launcher file (else this test proves nothing).
    for (const key of ['errorServer', 'dismissTeaser', 'feedbackUp']) {
      assert.ok(!(key in launcherEnglish), key);
      assert.ok(key in englishStrings, key);
    }
  });
});

describe('resolveStrings', () => {
  it('is English without overrides', () => {
    for (const overrides of [undefined, null, {}, 'text', 42, ['a']]) {
      assert.deepEqual(resolveStrings(overrides), launcherEnglish, JSON.stringify(overrides));
    }
  });

  it('lays overrides over English key by key', () => {
    const strings = resolveStrings({ sendButton: 'Senden', chatTitle: 'Hilfe' });
    assert.equal(strings.sendButton, 'Senden');
    assert.equal(strings.chatTitle, 'Hilfe');
    assert.equal(strings.stopButton, launcherEnglish.stopButton);
    assert.deepEqual(Object.keys(strings).sort(), Object.keys(launcherEnglish).sort());
  });

  it('ignores non-string values; takes the words of a chunk (not in the launcher file) like any other', () => {
    assert.deepEqual(resolveStrings({ sendButton: 5, stopButton: null, retryButton: { de: 'x' } }), launcherEnglish);
    const strings = resolveStrings({ errorServer: 'Serverfehler.' }, { feedbackUp: 'Gut' });
    assert.equal(strings.errorServer, 'Serverfehler.');
    assert.equal(strings.feedbackUp, 'Gut');
  });

  it('never changes the English defaults', () => {
    const before = { ...launcherEnglish };
    const strings = resolveStrings({ sendButton: 'Senden' });
    strings.stopButton = 'changed';
    assert.deepEqual(launcherEnglish, before);
    assert.notEqual(resolveStrings({}), resolveStrings({}));
  });
});
