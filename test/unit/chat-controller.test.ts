// src/chat-controller.ts, its pure rules: how two tabs' copies of one conversation merge, and
// which of two sessions started at once wins. The controller itself is tested through the
// element, in the browser (test/persistence.test.ts, test/nothing-lost.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeMessages, outranks } from '../../src/chat-controller.js';
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
