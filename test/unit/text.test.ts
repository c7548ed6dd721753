// src/text.ts: what counts as a message's length, as saying nothing, and as plain text (shown without
// the markdown renderer). Plain text must be text marked would show exactly as written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Marked } from 'marked';
import { characters, isBlank, isPlainText } from '../../src/text.js';

describe('characters and isBlank', () => {
  it('counts characters, not UTF-16 units, and ignores surrounding space', () => {
    assert.equal(characters('  héllo 👋 '), 7);
  });

  it('finds messages that say nothing', () => {
    // Zero-width ones, the soft hyphen, direction marks and isolates, variation selectors, Hangul fillers, a tag character.
    const invisible = ['\u200b\u200c\u200d\u2060\ufeff', '\u00ad\u034f', '\u200e\u200f\u202e\u2066\u2069\u061c', '\ufe0f\u2061\u2064', '\u3164\u115f\uffa0', '\u{e0041}'];
    for (const text of ['', '   ', '\n\t', '\u00a0\u3000', ...invisible]) assert.equal(isBlank(text), true, JSON.stringify(text));
    // Something to read: a letter, an emoji, a combining accent on nothing, the braille blank (a character of its own).
    for (const text of [' a ', '\u200b😀', '\u0301', '\u2800']) assert.equal(isBlank(text), false, JSON.stringify(text));
  });
});

describe('isPlainText', () => {
  const plain = ['Hi! How can I help you today?', 'Questions about pricing? Ask me.', "We're here 9–5, Monday to Friday.", 'Hallo, wie kann ich helfen?', 'مرحبا! كيف يمكنني المساعدة؟', 'Open 24/7, all 365 days', 'Price: 49 dollars'];
  const markdown = [
    'Hi **there**',
    'Use `npm`',
    'See [docs](https://example.com)',
    'Visit https://example.com',
    'Visit www.example.com',
    'Mail help@example.com',
    '# Welcome',
    '- one',
    '1. first',
    '+ plus',
    '2024 was a good year', // not a list, but a digit first is not worth a closer look
    '    indented code',
    'a\nb',
    'Fish & chips',
    '<b>bold</b>',
    'snake_case',
    '~~gone~~',
    'a | b',
    'back\\slash',
  ];

  it('is true for one line with nothing markdown would change', () => {
    for (const text of plain) assert.equal(isPlainText(text), true, text);
  });

  it('is false wherever markdown could show something else', () => {
    for (const text of markdown) assert.equal(isPlainText(text), false, text);
  });

  it('holds marked to it: what it calls plain, marked (set up as markdown.ts sets it) renders as that very text in one paragraph', () => {
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const text of plain) assert.equal((new Marked({ breaks: true }).parse(text, { async: false }) as string).trim(), `<p>${escape(text)}</p>`, text);
  });
});
