import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, Persist, Rating } from './types.js';
import type { ChatStrings } from './strings.js';
import { createChatEvent } from './events.js';
import { configurationProblem } from './configuration.js';
import { describeFailure, postMessage, type Failure } from './proxy-client.js';
import { SessionStore } from './session-store.js';
import { emptyConversation, freeze, type Conversation } from './stored-conversation.js';
import { randomId } from './ids.js';
import { isBlank } from './text.js';

/** What the controller reads from its element on every send. */
export interface ChatConfig {
  proxyUrl: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  credentials: RequestCredentials;
  strings: ChatStrings;
  /** Full storage key, already namespaced. */
  storageKey: string;
  persist: Persist;
  /** Each message carries the page it was written on (`page-context`). */
  pageContext?: boolean;
}

type Host = ReactiveControllerHost & EventTarget;

interface InFlight {
  messageId: string;
  abort: AbortController;
}

/**
 * The conversation state machine: idle → sending → replied | failed → retry. Owns the proxy
 * client and the store; the element only renders `messages` and calls these methods.
 */
export class ChatController implements ReactiveController {
  readonly #host: Host;
  readonly #config: () => ChatConfig;
  #store: SessionStore | null = null;
  #conversation: Conversation = emptyConversation();
  #inFlight: InFlight | null = null;
  #unsubscribe: () => void = () => {};
  /** Bumped on every reset, so a reply to a conversation that is gone is dropped. */
  #generation = 0;
  #connected = false;

  constructor(host: Host, config: () => ChatConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  get messages(): readonly ChatMessage[] {
    return this.#conversation.messages;
  }

  get sessionId(): string | null {
    return this.#conversation.sessionId;
  }

  /** The id of the visitor message awaiting a reply, if any. */
  get pendingId(): string | null {
    return this.#inFlight?.messageId ?? null;
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#store) {
      // Back in the page (a framework moved the element): keep any request in flight, catch up on storage.
      this.#catchUp();
      this.#subscribe();
    }
    this.open();
    globalThis.addEventListener?.('online', this.#onOnline);
  }

  hostDisconnected(): void {
    // The store stays: a reply that lands while the element is out of the page is still saved.
    this.#connected = false;
    globalThis.removeEventListener?.('online', this.#onOnline);
    this.#unsubscribe();
    this.#unsubscribe = () => {};
  }

  /** (Re)opens the store named by the current config; call when `storage-key`, `proxy-url` or `persist` change. */
  open(): void {
    const { storageKey, persist } = this.#config();
    if (this.#store && this.#store.key === storageKey && this.#store.persist === persist) return;
    this.#unsubscribe();
    this.#abortInFlight();
    this.#generation++;
    this.#store = new SessionStore(storageKey, persist);
    this.#conversation = freeze(this.#store.load());
    // A pending message may be another tab's request in flight, which holds its Web Lock: it is marked undelivered
    // only once that lock is free (at once if the page that sent it went away), unless its reply has come by then.
    for (const { id, status } of this.messages) if (status === 'pending') whenFree(id, () => this.#interrupt(id));
    if (this.#connected) this.#subscribe();
    this.#host.requestUpdate();
  }

  /** A message left pending by a page that went away may never have arrived: say so, offer retry. */
  #interrupt(id: string): void {
    this.#catchUp(); // its reply may be stored by now
    if (id === this.pendingId) return;
    const error = describeFailure({ code: 'interrupted', status: 0 }, this.#config().strings);
    const messages = this.messages.map((m): ChatMessage => (m.id === id && m.status === 'pending' ? { ...m, status: 'failed', error } : m));
    this.#conversation = freeze({ ...this.#conversation, messages });
    this.#host.requestUpdate();
  }

  /** Reads what other tabs stored, without waiting for their `storage` event. */
  #catchUp(): void {
    if (this.#store && this.#connected) this.#onRemoteChange(this.#store.load());
  }

  #subscribe(): void {
    this.#unsubscribe();
    this.#unsubscribe = this.#store?.subscribe((remote) => this.#onRemoteChange(remote)) ?? (() => {});
  }

  /**
   * Starts sending `text`. Returns `null` when nothing was sent (empty text, a request already
   * in flight, or a cancelled `thinnest-chat-send`), else a promise that settles when the
   * send ends either way.
   */
  send(text: string): Promise<void> | null {
    const message = text.trim();
    if (isBlank(message) || this.#inFlight) return null;
    // Another tab may have started a session whose storage event has not arrived yet: join it rather than race it.
    if (this.sessionId === null) this.#catchUp();
    const previous = this.sessionId;
    const sessionId = previous ?? randomId();
    if (!this.#host.dispatchEvent(createChatEvent('thinnest-chat-send', { message, sessionId }))) return null;
    const entry: ChatMessage = { id: randomId(), role: 'user', text: message, createdAt: Date.now(), status: 'pending' };
    const release = hold(entry.id);
    // Session and message are stored together: another tab never sees the new session without the message.
    const conversation: Conversation = { ...this.#conversation, sessionId, messages: [...this.messages, entry] };
    if (previous === null) conversation.startedAt = this.#nextStart();
    this.#commit(conversation);
    if (previous === null) this.#host.dispatchEvent(createChatEvent('thinnest-chat-session', { sessionId, previous }));
    return this.#deliver(entry, release);
  }

  /** Sends a failed message again, same text and session, once; `null` when it cannot be retried now. */
  retry(id: string): Promise<void> | null {
    const failed = this.messages.find((message) => message.id === id);
    if (!failed || failed.status !== 'failed' || !failed.error?.retryable || this.#inFlight) return null;
    if (failed.retryAt !== undefined && failed.retryAt > Date.now()) return null;
    if (this.sessionId === null) this.#setSession(randomId());
    // The retried message moves to the end, where its reply will land.
    const entry: ChatMessage = { id, role: 'user', text: failed.text, createdAt: Date.now(), status: 'pending' };
    const release = hold(id);
    this.#commit({ ...this.#conversation, messages: [...this.messages.filter((m) => m.id !== id), entry] });
    return this.#deliver(entry, release);
  }

  /**
   * Takes a failed message back out of the conversation, to be edited and sent again; returns its
   * text, or `null` when there is no such failed message.
   */
  withdraw(id: string): string | null {
    const failed = this.messages.find((message) => message.id === id && message.status === 'failed');
    if (!failed) return null;
    this.#commit({ ...this.#conversation, messages: this.messages.filter((message) => message !== failed) });
    return failed.text;
  }

  /** Keeps the visitor's rating of a reply with it (`null` takes it back): stored, and followed by every tab. */
  rate(id: string, rating: Rating | null): void {
    this.#commit({ ...this.#conversation, messages: this.messages.map((m) => (m.id === id ? { ...m, rating: rating ?? undefined } : m)) });
  }

  /** Aborts the request in flight; its message stays, marked stopped, with a retry control. */
  stop(): void {
    this.#inFlight?.abort.abort();
  }

  /** Clears the transcript and starts a fresh session; a pending reply is dropped. */
  newSession(): void {
    this.#abortInFlight();
    this.#generation++;
    const previous = this.sessionId;
    const sessionId = randomId();
    this.#commit({ sessionId, messages: [], startedAt: this.#nextStart() });
    this.#host.dispatchEvent(createChatEvent('thinnest-chat-session', { sessionId, previous }));
  }

  /** A start time later than the current session's, so a new session always outranks the one it replaces. */
  #nextStart(): number {
    return Math.max(Date.now(), (this.#conversation.startedAt ?? 0) + 1);
  }

  /**
   * Back online: the message that failed for being offline goes out again by itself, once. Every tab hears
   * `online`: the first to hold the message's lock resends it; the others, let in once it is answered, find it so.
   */
  readonly #onOnline = (): void => {
    const last = this.messages.at(-1);
    if (last?.role === 'user' && last.status === 'failed' && last.error?.code === 'offline') {
      whenFree(last.id, () => (this.#catchUp(), this.retry(last.id)));
    }
  };

  /** Sends `entry`, whose lock (`hold`) was taken before it was stored; `release` lets other tabs in once its outcome is. */
  async #deliver(entry: ChatMessage, release: () => void): Promise<void> {
    try {
      const config = this.#config();
      const problem = configurationProblem(config.proxyUrl, config.headers);
      if (problem) {
        console.error(problem);
        this.#fail(entry.id, { code: 'misconfigured', status: 0 }, config);
        return;
      }
      const abort = new AbortController();
      const generation = this.#generation;
      const sessionId = this.sessionId ?? randomId();
      this.#inFlight = { messageId: entry.id, abort };
      this.#host.requestUpdate();
      // The config's headers, credentials and timeoutMs go with the request as they are.
      const result = await postMessage({ ...config, url: config.proxyUrl!, message: entry.text, sessionId, signal: abort.signal });
      if (this.#inFlight?.abort === abort) this.#inFlight = null;
      if (generation !== this.#generation) return;
      if (!result.ok) {
        this.#fail(entry.id, result.failure, config);
        return;
      }
      const { reply } = result;
      const answer: ChatMessage = {
        id: randomId(),
        role: 'assistant',
        text: reply.response,
        createdAt: Date.now(),
        metadata: reply.metadata ?? {},
      };
      const messages = this.messages.map((m) => (m.id === entry.id ? delivered(m) : m));
      this.#commit({ ...this.#conversation, messages: [...messages, answer] });
      if (reply.session_id !== this.sessionId) this.#setSession(reply.session_id);
      this.#host.dispatchEvent(
        createChatEvent('thinnest-chat-reply', {
          message: reply.response,
          sessionId: reply.session_id,
          metadata: answer.metadata ?? {},
        }),
      );
    } finally {
      release();
    }
  }

  #fail(id: string, failure: Failure, config: ChatConfig): void {
    const error = describeFailure(failure, config.strings, config.timeoutMs);
    error.message ||= config.strings.notDelivered; // its English could not be fetched (proxy-client.ts)
    const retryAt = failure.retryAfter ? Date.now() + failure.retryAfter * 1000 : undefined;
    const messages = this.messages.map((m) => {
      if (m.id !== id) return m;
      const failed: ChatMessage = { ...m, status: 'failed', error };
      if (retryAt !== undefined) failed.retryAt = retryAt;
      else delete failed.retryAt;
      return failed;
    });
    this.#commit({ ...this.#conversation, messages });
    const { code, status, message, retryable } = error;
    this.#host.dispatchEvent(createChatEvent('thinnest-chat-error', { code, status, message, retryable }));
  }

  #setSession(sessionId: string): void {
    const previous = this.sessionId;
    // A renamed session (adopted from the server) outranks its old name in other tabs.
    this.#commit({ ...this.#conversation, sessionId, startedAt: this.#nextStart() });
    this.#host.dispatchEvent(createChatEvent('thinnest-chat-session', { sessionId, previous }));
  }

  #commit(conversation: Conversation): void {
    this.#conversation = freeze(conversation);
    this.#store?.save(conversation);
    this.#host.requestUpdate();
  }

  #abortInFlight(): void {
    this.#inFlight?.abort.abort();
    this.#inFlight = null;
  }

  /** Another tab changed the conversation: follow it, keeping what only this tab knows. */
  #onRemoteChange(remote: Conversation): void {
    if (remote.sessionId !== this.sessionId) {
      // Two tabs started sessions at once: both settle on the later one, so ours stays if it is; the other tab follows.
      // Data without a start (an older version of the widget in another tab) is followed, as that version expects.
      if (remote.sessionId !== null && this.sessionId !== null && remote.startedAt !== undefined && outranks(this.#conversation, remote)) {
        this.#store?.save(this.#conversation);
        return;
      }
      const previous = this.sessionId;
      const interruptedId = this.pendingId;
      this.#abortInFlight();
      this.#generation++;
      // Joining a conversation in progress keeps this tab's undelivered messages (to retry there); a fresh reset drops them.
      const kept = remote.messages.length ? undelivered(this.messages, remote.messages, interruptedId, this.#config()) : [];
      const messages = kept.length ? mergeMessages(kept, remote.messages, null) : remote.messages;
      this.#conversation = freeze({ ...remote, messages });
      if (kept.length) this.#store?.save(this.#conversation);
      this.#host.requestUpdate();
      this.#host.dispatchEvent(createChatEvent('thinnest-chat-session', { sessionId: remote.sessionId, previous }));
      return;
    }
    const merged = mergeMessages(this.messages, remote.messages, this.pendingId);
    const startedAt = Math.max(this.#conversation.startedAt ?? 0, remote.startedAt ?? 0) || undefined;
    this.#conversation = freeze({ sessionId: remote.sessionId, messages: merged, ...(startedAt ? { startedAt } : {}) });
    // Our in-flight copy differing from another tab's view of it (pending vs interrupted) is no reason to write: that would ping-pong.
    if (!sameMessages(merged, remote.messages, this.pendingId)) this.#store?.save(this.#conversation);
    this.#host.requestUpdate();
  }
}

function delivered(message: ChatMessage): ChatMessage {
  const { status: _status, error: _error, retryAt: _retryAt, ...rest } = message;
  return rest;
}

/**
 * Runs `then` holding message `id`'s Web Lock (which a tab holds while its request for that message is
 * in flight) once no other tab holds it; at once where Web Locks are missing or refused (plain http, a
 * sandboxed frame, blocked cookies).
 */
function whenFree(id: string, then: () => unknown): void {
  const locks = globalThis.navigator?.locks;
  if (locks) void locks.request(`thinnest-chat ${id}`, then).catch(then);
  else void then();
}

/**
 * Takes message `id`'s lock until the returned function is called: taken before the message is stored as
 * pending, so a tab that reads it there finds the lock held and shows it as sending, not failed.
 */
function hold(id: string): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  whenFree(id, () => held);
  return release;
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
  config: ChatConfig,
): ChatMessage[] {
  const known = new Set(remote.map((m) => m.id));
  const interrupted = describeFailure({ code: 'interrupted', status: 0 }, config.strings);
  return local
    .filter((m) => m.role === 'user' && m.status !== undefined && !known.has(m.id))
    .map((m) => (m.status === 'pending' || m.id === inFlightId ? { ...m, status: 'failed', error: interrupted } : m));
}
