// src/events.ts: the element's events, as a page's listener receives them. That they cross the
// shadow root to reach the page needs a DOM: test/sending.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createChatEvent, type ThinnestChatEventName } from '../../src/events.js';

describe('createChatEvent', () => {
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
      assert.ok(event instanceof CustomEvent);
      assert.equal(event.type, name);
      assert.equal(event.detail, detail);
      assert.equal(event.bubbles, true);
      assert.equal(event.composed, true);
      assert.equal(event.cancelable, name === 'thinnest-chat-send');
    });
  }
});
