// src/waiting.ts: how long replies usually take in this browser (the median of its last 20 reply
// times, kept with the conversation), and what the typing indicator says while a reply is awaited.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/types.js';
import { usualReplyMs, waitStage, waitingNote } from '../../src/waiting.js';
import { waitingEnglish } from '../../src/waiting-strings.js';
import { format, resolveStrings } from '../../src/strings.js';
import { englishStrings } from '../../src/english.js';
import { message } from './helpers.js';

/** A conversation of replies that took `times` ms each, a visitor message a minute. */
function replies(times: number[]): ChatMessage[] {
  return times.flatMap((time, i) => [message(`u${i}`, i * 60_000), message(`a${i}`, i * 60_000 + time, { role: 'assistant' })]);
}

describe('usualReplyMs', () => {
  it('has no estimate before 3 replies', () => {
    assert.equal(usualReplyMs([]), undefined);
    assert.equal(usualReplyMs(replies([1000, 2000])), undefined);
    assert.equal(usualReplyMs(replies([1000, 2000, 3000])), 2000);
  });

  it('takes the median: the middle time, or the mean of the middle two', () => {
    assert.equal(usualReplyMs(replies([9000, 1000, 4000])), 4000);
    assert.equal(usualReplyMs(replies([1000, 60_000, 3000, 4000])), 3500);
    // One reply that took a minute does not make the usual time long.
    assert.equal(usualReplyMs(replies([4000, 4000, 60_000])), 4000);
  });

  it('counts only the last 20 replies', () => {
    assert.equal(usualReplyMs(replies([...Array(21).fill(50_000), ...Array(20).fill(2000)])), 2000);
    assert.equal(usualReplyMs(replies([...Array(12).fill(2000), ...Array(11).fill(50_000)])), 50_000);
  });

  it('times each reply from the visitor message just before it; a reply with none before it does not count', () => {
    const messages: ChatMessage[] = [
      message('a0', 0, { role: 'assistant' }), // no visitor message before it
      message('u1', 10_000, { status: 'failed' }),
      message('u2', 20_000), // retried: a new createdAt, moved to the end
      message('a2', 23_000, { role: 'assistant' }),
      message('u3', 30_000),
      message('a3', 33_000, { role: 'assistant' }),
      message('u4', 40_000),
      message('a4', 45_000, { role: 'assistant' }),
    ];
    assert.equal(usualReplyMs(messages), 3000);
    assert.equal(usualReplyMs(messages.slice(0, -1)), undefined);
  });
});

describe('waitStage', () => {
  it('says nothing for 3 s, then the usual time until twice that, then that it is still working', () => {
    const at = (waited: number) => waitStage(waited, 4000);
    assert.deepEqual(at(0), [0, 3000]);
    assert.deepEqual(at(2999), [0, 1]);
    assert.deepEqual(at(3000), [1, 5000]);
    assert.deepEqual(at(7999), [1, 1]);
    assert.deepEqual(at(8000), [2]);
    assert.deepEqual(at(600_000), [2]);
  });

  it('never says anything, and sets no timer, without an estimate', () => {
    for (const waited of [0, 3000, 60_000]) assert.deepEqual(waitStage(waited, undefined), [0]);
  });

  it('goes straight to "still working" at 3 s where replies usually take 1.5 s or less', () => {
    assert.deepEqual(waitStage(2000, 1500), [0, 1000]);
    assert.deepEqual(waitStage(3000, 1500), [2]);
    assert.deepEqual(waitStage(3000, 1501), [1, 2]);
  });
});

describe('waitingNote', () => {
  const asked = message('asked', 1_000_000, { status: 'pending' });
  const messages = [...replies([4000, 4000, 5000]), asked];

  it('says it in English by default, though the launcher file holds no English for it', () => {
    const launcher = resolveStrings({});
    assert.equal(launcher.usualWait, undefined);
    assert.equal(waitingNote(messages, asked, asked.createdAt + 1000, launcher), '');
    assert.equal(waitingNote(messages, asked, asked.createdAt + 3000, launcher), 'Usually replies in about 4 seconds');
    assert.equal(waitingNote(messages, asked, asked.createdAt + 8000, launcher), waitingEnglish.longWait);
  });

  it('rounds the usual time to whole seconds, 2 at the least', () => {
    const said = (time: number) => {
      const messages = [...replies([time, time, time]), asked];
      return waitingNote(messages, asked, asked.createdAt + 3000, englishStrings);
    };
    assert.equal(said(1501), format(waitingEnglish.usualWait, { seconds: 2 }));
    assert.equal(said(2499), format(waitingEnglish.usualWait, { seconds: 2 }));
    assert.equal(said(2500), format(waitingEnglish.usualWait, { seconds: 3 }));
    assert.equal(said(45_600), format(waitingEnglish.usualWait, { seconds: 46 }));
    assert.equal(said(1500), waitingEnglish.longWait, 'at 3 s already twice as long');
  });

  it("takes the widget's strings, filling {seconds}", () => {
    const strings = resolveStrings({ usualWait: 'Antwortet meist in etwa {seconds} Sekunden', longWait: 'Noch in Arbeit…' });
    assert.equal(waitingNote(messages, asked, asked.createdAt + 3000, strings), 'Antwortet meist in etwa 4 Sekunden');
    assert.equal(waitingNote(messages, asked, asked.createdAt + 8000, strings), 'Noch in Arbeit…');
  });
});
