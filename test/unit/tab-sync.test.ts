// src/tab-sync.ts: how a tab follows another tab's copy of the conversation, how two copies of a
// transcript merge, and which of two sessions started at once wins. The controller that fetches and
// applies it is tested through the element, in the browser (test/persistence.test.ts, test/nothing-lost.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { follow, mergeMessages, outranks } from '../../src/tab-sync.js';
import type { ChatError } from '../../src/types.js';
import { message } from './helpers.js';

describe('mergeMessages', () => {
  const delivered = (id: string, at: number) => message(id, at);
  const pending = (id: string, at: number) => message(id, at, { status: 'pending' });
  const failed = (id: string, at: number) =>
    message(id, at, { status: 'failed', error: { code: 'network', status: 0, message: 'x', retryable: true } });
  const ids = (merged: ReturnType<typeof mergeMessages>) => merged.map((m) => m.id);

  it("is the union of both tabs' messages by id, in time order", () => {
    const local = [delivered('a', 1), delivered('c', 3)];
    const remote = [delivered('a', 1), delivered('b', 2), delivered('d', 4)];
    assert.deepEqual(ids(mergeMessages(local, remote, null)), ['a', 'b', 'c', 'd']);
  });

  it('orders messages of the same millisecond by id, whichever tab merges: two tabs settle on one order', () => {
    const mine = [delivered('a', 1), delivered('y', 5)];
    const theirs = [delivered('a', 1), delivered('x', 5)];
    assert.deepEqual(ids(mergeMessages(mine, theirs, null)), ['a', 'x', 'y']);
    assert.deepEqual(ids(mergeMessages(theirs, mine, null)), ['a', 'x', 'y']);
  });

  it("keeps an unchanged message as this tab's object, so what was rendered from it stays", () => {
    const local = [delivered('a', 1)];
    assert.equal(mergeMessages(local, [delivered('a', 1)], null)[0], local[0]);
  });

  it('keeps the further-along copy of a message: delivered over failed over pending', () => {
    assert.equal(mergeMessages([pending('a', 1)], [delivered('a', 1)], null)[0].status, undefined);
    assert.equal(mergeMessages([delivered('a', 1)], [pending('a', 1)], null)[0].status, undefined);
    assert.equal(mergeMessages([failed('a', 1)], [pending('a', 1)], null)[0].status, 'failed');
    assert.equal(mergeMessages([pending('a', 1)], [failed('a', 1)], null)[0].status, 'failed');
    assert.equal(mergeMessages([failed('a', 1)], [delivered('a', 1)], null)[0].status, undefined);
  });

  it('takes a later send of a message (another tab retrying it) over an earlier send that failed, but never over its delivery', () => {
    assert.equal(mergeMessages([failed('a', 1)], [pending('a', 2)], null)[0].status, 'pending');
    assert.equal(mergeMessages([pending('a', 2)], [failed('a', 1)], null)[0].status, 'pending');
    assert.equal(mergeMessages([failed('a', 2)], [pending('a', 2)], null)[0].status, 'failed');
    assert.equal(mergeMessages([delivered('a', 1)], [pending('a', 2)], null)[0].status, undefined);
  });

  it('prefers the remote copy when both are equally far along', () => {
    const local = [{ ...delivered('a', 1), text: 'local' }];
    const remote = [{ ...delivered('a', 1), text: 'remote' }];
    assert.equal(mergeMessages(local, remote, null)[0].text, 'remote');
  });

  it('keeps the local copy of the message this tab has in flight', () => {
    const merged = mergeMessages([pending('a', 1)], [failed('a', 1)], 'a');
    assert.equal(merged.length, 1);
    assert.equal(merged[0].status, 'pending');
  });

  it('does not change its inputs', () => {
    const local = [delivered('b', 2), pending('a', 1)];
    const remote = [delivered('a', 1)];
    const before = JSON.stringify([local, remote]);
    mergeMessages(local, remote, null);
    assert.equal(JSON.stringify([local, remote]), before);
  });
});

describe('outranks: which of two sessions two tabs started at once both settle on', () => {
  it('the later start wins, then the greater id; data without a start loses to data with one', () => {
    const c = (sessionId: string, startedAt?: number) => ({ sessionId, messages: [], ...(startedAt === undefined ? {} : { startedAt }) });
    assert.equal(outranks(c('a', 2), c('b', 1)), true);
    assert.equal(outranks(c('b', 1), c('a', 2)), false);
    assert.equal(outranks(c('b', 5), c('a', 5)), true);
    assert.equal(outranks(c('a', 5), c('b', 5)), false);
    assert.equal(outranks(c('z'), c('a', 1)), false);
  });
});

describe("follow: what a tab does with another tab's copy of the conversation", () => {
  const interrupted: ChatError = { code: 'interrupted', status: 0, message: 'may not have arrived', retryable: true };
  const pending = (id: string, at: number) => message(id, at, { status: 'pending' });

  it('in the same session: the union, written back only when it holds what the stored copy lacks', () => {
    const local = { sessionId: 's', messages: [message('a', 1), message('c', 3)], startedAt: 1 };
    const remote = { sessionId: 's', messages: [message('a', 1), message('b', 2)], startedAt: 1 };
    const followed = follow(local, remote, null, interrupted);
    assert.deepEqual(followed.conversation.messages.map((m) => m.id), ['a', 'b', 'c']);
    assert.deepEqual([followed.save, followed.joined, followed.conversation.startedAt], [true, false, 1]);
    assert.equal(follow({ ...local, messages: [message('a', 1)] }, remote, null, interrupted).save, false);
  });

  it('does not write back only because its own copy of the message in flight differs from the stored one', () => {
    const local = { sessionId: 's', messages: [pending('a', 1)] };
    const remote = { sessionId: 's', messages: [message('a', 1, { status: 'failed', error: interrupted })] };
    assert.equal(follow(local, remote, 'a', interrupted).save, false);
  });

  it('keeps its own session, written back, when it started later than the other tab\'s', () => {
    const local = { sessionId: 'mine', messages: [pending('a', 5)], startedAt: 5 };
    const remote = { sessionId: 'theirs', messages: [pending('b', 4)], startedAt: 4 };
    assert.deepEqual(follow(local, remote, 'a', interrupted), { conversation: local, save: true, joined: false });
  });

  it("joins the other tab's later session, keeping its own undelivered messages as failed, to retry there", () => {
    const local = { sessionId: 'mine', messages: [message('a', 1), pending('b', 2)], startedAt: 1 };
    const remote = { sessionId: 'theirs', messages: [pending('c', 3)], startedAt: 2 };
    const followed = follow(local, remote, 'b', interrupted);
    assert.deepEqual([followed.joined, followed.save, followed.conversation.sessionId], [true, true, 'theirs']);
    assert.deepEqual(
      followed.conversation.messages.map((m) => [m.id, m.status, m.error?.code]),
      [
        ['b', 'failed', 'interrupted'],
        ['c', 'pending', undefined],
      ],
    );
  });

  it('follows a fresh conversation started in the other tab (or storage cleared) as it is, dropping its own', () => {
    const local = { sessionId: 'mine', messages: [pending('a', 1)], startedAt: 1 };
    const followed = follow(local, { sessionId: null, messages: [] }, 'a', interrupted);
    assert.deepEqual(followed, { conversation: { sessionId: null, messages: [] }, save: false, joined: true });
  });
});
