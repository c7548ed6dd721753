// How a tab follows the conversation another tab stored (or another widget on the page with the same
// storage key). A chunk of its own: the controller (chat-controller.ts) fetches it the first time storage
// holds what this tab did not write or read itself, so a visitor with one tab never does. No DOM and no
// state: it says what the conversation becomes, and the controller applies it.
import type { ChatError, ChatMessage } from './types.js';
import type { Conversation } from './stored-conversation.js';

/** What a tab does with another tab's copy of the conversation. */
export interface Followed {
  /** This tab's conversation from now on. */
  conversation: Conversation;
  /** Whether it is written back: it holds what the stored copy lacks, for the other tabs to follow in turn. */
  save: boolean;
  /** Whether this tab moves to the other tab's session: its request in flight is dropped and the session event fires. */
  joined: boolean;
}

/**
 * Follows `remote`, another tab's copy of the conversation, keeping what only this tab knows. `inFlightId` is
 * this tab's message awaiting a reply; `interrupted`, the failure its visitor messages are kept with, to retry,
 * when this tab joins another session.
 */
export function follow(local: Conversation, remote: Conversation, inFlightId: string | null, interrupted: ChatError): Followed {
  if (remote.sessionId !== local.sessionId) {
    // Two tabs started sessions at once: both settle on the later one, so ours stays if it is; the other tab follows.
    // Data without a start (an older version of the widget in another tab) is followed, as that version expects.
    if (remote.sessionId !== null && local.sessionId !== null && remote.startedAt !== undefined && outranks(local, remote)) {
      return { conversation: local, save: true, joined: false };
    }
    // Joining a conversation in progress keeps this tab's undelivered messages (to retry there); a fresh reset drops them.
    const kept = remote.messages.length ? undelivered(local.messages, remote.messages, inFlightId, interrupted) : [];
    const messages = kept.length ? mergeMessages(kept, remote.messages, null) : remote.messages;
    return { conversation: { ...remote, messages }, save: kept.length > 0, joined: true };
  }
  const messages = mergeMessages(local.messages, remote.messages, inFlightId);
  const startedAt = Math.max(local.startedAt ?? 0, remote.startedAt ?? 0) || undefined;
  return {
    conversation: { sessionId: remote.sessionId, messages, ...(startedAt ? { startedAt } : {}) },
    // Our in-flight copy differing from another tab's view of it (pending vs interrupted) is no reason to write: that would ping-pong.
    save: !sameMessages(messages, remote.messages, inFlightId),
    joined: false,
  };
}

/** How far along a copy of a message is: a later send (a retry) outranks an earlier one's outcome; delivered is final. */
const FINALITY = { pending: 0, failed: 1 } as const;
const progress = (message: ChatMessage) => (message.status ? message.createdAt * 3 + FINALITY[message.status] : Infinity);

/** Union of two transcripts by id, in time order; the further-along copy of a message wins. */
export function mergeMessages(
  local: readonly ChatMessage[],
  remote: readonly ChatMessage[],
  inFlightId: string | null,
): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of remote) byId.set(message.id, message);
  for (const message of local) {
    const other = byId.get(message.id);
    // An unchanged message keeps its object: what was rendered from it is not made again (or spoken again).
    const keepLocal = !other || message.id === inFlightId || progress(message) > progress(other) || sameMessage(message, other);
    if (keepLocal) byId.set(message.id, message);
  }
  // Messages of the same millisecond (two tabs sending at once) are ordered by id: every tab settles on one order.
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function sameMessages(a: readonly ChatMessage[], b: readonly ChatMessage[], inFlightId: string | null = null): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i].id && (m.id === inFlightId || sameMessage(m, b[i])));
}

/** Each message's JSON, written once: messages are frozen, and a merge compares the same ones again in `sameMessages`. */
const serialized = new WeakMap<ChatMessage, string>();

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  const json = (m: ChatMessage) => serialized.get(m) ?? serialized.set(m, JSON.stringify(m)).get(m)!;
  return a === b || json(a) === json(b);
}

/** Whether conversation `a` wins over `b` when two tabs hold different sessions: the later start, then the greater id. */
export function outranks(a: Conversation, b: Conversation): boolean {
  const [startA, startB] = [a.startedAt ?? 0, b.startedAt ?? 0];
  if (startA !== startB) return startA > startB;
  return (a.sessionId ?? '') > (b.sessionId ?? '');
}

/** This tab's visitor messages that `remote` lacks and that never got a reply: kept as failed, to retry. */
function undelivered(
  local: readonly ChatMessage[],
  remote: readonly ChatMessage[],
  inFlightId: string | null,
  interrupted: ChatError,
): ChatMessage[] {
  const known = new Set(remote.map((m) => m.id));
  return local
    .filter((m) => m.role === 'user' && m.status !== undefined && !known.has(m.id))
    .map((m) => (m.status === 'pending' || m.id === inFlightId ? { ...m, status: 'failed', error: interrupted } : m));
}
