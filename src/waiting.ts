// Honest waiting: what the typing indicator says while a reply is awaited, from this browser's own
// past reply times, which the conversation already keeps (each message's createdAt). A chunk of its
// own, fetched once a reply has been awaited 3 s (transcript-view.ts): a visitor whose replies come
// sooner never fetches it. No DOM, so it is tested in Node.
import type { ChatMessage } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { waitingEnglish } from './waiting-strings.js';

/** How long a wait shows only the typing dots. */
const QUIET_MS = 3000;

/**
 * How long replies usually take in this browser, in ms: the median of the last 20 reply times in the
 * conversation (a reply's `createdAt` less that of the visitor message just before it, which a retry
 * renews), or undefined before there are 3.
 */
export function usualReplyMs(messages: readonly ChatMessage[]): number | undefined {
  const times = messages.flatMap((m, i) => (m.role === 'assistant' && messages[i - 1]?.role === 'user' ? m.createdAt - messages[i - 1].createdAt : []));
  const last = times.slice(-20).sort((a, b) => a - b);
  const n = last.length;
  return n < 3 ? undefined : (last[(n - 1) >> 1] + last[n >> 1]) / 2;
}

/**
 * Where a wait for a reply stands `waited` ms in, for replies that usually take `usual` ms: stage 0 says
 * nothing (for 3 s, and always without an estimate), 1 how long replies usually take, 2 (from twice that
 * long, 3 s at least) that the reply is still being worked on; with the ms until the stage changes, if it will.
 */
export function waitStage(waited: number, usual?: number): [stage: 0 | 1 | 2, changesIn?: number] {
  if (usual === undefined) return [0];
  const still = Math.max(QUIET_MS, 2 * usual);
  return waited < QUIET_MS ? [0, QUIET_MS - waited] : waited < still ? [1, still - waited] : [2];
}

/**
 * What the typing indicator says `now` while `asked` awaits its reply, in the widget's words; empty while it
 * says nothing. The usual time is in whole seconds, 2 at least (below 1.5 s, 3 s is already twice as long).
 */
export function waitingNote(messages: readonly ChatMessage[], asked: ChatMessage, now: number, strings: ChatStrings): string {
  const usual = usualReplyMs(messages);
  const [stage] = waitStage(now - asked.createdAt, usual);
  if (stage > 1) return strings.longWait || waitingEnglish.longWait;
  return stage ? format(strings.usualWait || waitingEnglish.usualWait, { seconds: Math.round(usual! / 1000) }) : '';
}

/** What each widget's typing indicator last said: a note is spoken once, as it appears. */
const said = new WeakMap<object, string>();

/** The note `now` (see waitingNote), said once to screen readers when it appears or changes. */
export function typingNote(host: object, messages: readonly ChatMessage[], asked: ChatMessage, now: number, strings: ChatStrings, announce: (text: string) => void): string {
  const note = waitingNote(messages, asked, now, strings);
  if (note !== said.get(host)) {
    said.set(host, note);
    if (note) announce(note);
  }
  return note;
}
