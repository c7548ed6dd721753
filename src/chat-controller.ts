import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatError, ChatMessage, Persist } from './types.js';
import type { ChatStrings } from './strings.js';
import { createChatEvent } from './events.js';
import { configurationProblem } from './configuration.js';
import { describeFailure, postMessage, type Failure } from './proxy-client.js';
import { SessionStore } from './session-store.js';
import { emptyConversation, freeze, type Conversation } from './stored-conversation.js';
import { randomId } from './ids.js';
import { isBlank } from './text.js';
import { secondsLeft } from './retry-clock.js';

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
  /** Settles once the request has ended, either way (postMessage never rejects): a send from the page waits for it. */
  sent: Promise<unknown>;
}

/**
 * How a tab follows another tab's copy of the conversation (tab-sync.ts): fetched the first time storage holds
 * what this tab did not write or read itself, so a visitor with one tab never fetches it. A plain import, as
 * full-screen-on-need.ts's: codeOnNeed is the launcher's, and handing it to this chunk costs the launcher bytes.
 */
let tabSync: typeof import('./tab-sync.js') | undefined;
const loadTabSync = () => import('./tab-sync.js').then((code) => (tabSync = code), () => undefined);

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
  /** The newest conversation another tab stored that this tab has yet to follow: the code for it is on its way, or could not come. */
  #theirs?: Conversation;
  /** While that code is on its way: settles once it has come and `#theirs` is followed, or it could not come. */
  #following?: Promise<void>;

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
      void this.#catchUp();
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

  /**
   * (Re)opens the store named by the current config; call when `storage-key`, `proxy-url` or `persist` change. Only
   * `persist` changed, with a conversation on screen (a consent banner turning storage on, or off): the conversation
   * moves to the new place, a reply on its way still lands in it, and the old place keeps none of it.
   */
  open(): void {
    const { storageKey, persist } = this.#config();
    const old = this.#store;
    if (old && old.key === storageKey && old.persist === persist) return;
    const moving = old?.key === storageKey && this.messages.length > 0;
    this.#unsubscribe();
    this.#store = new SessionStore(storageKey, persist);
    if (moving) {
      this.#store.save(this.#conversation);
      old.remove();
    } else {
      const previous = this.sessionId;
      this.#dropInFlight();
      this.#conversation = freeze(this.#store.load());
      // Another key (`storage-key` or `proxy-url` changed) is another conversation: the page hears of its session.
      if (old && previous !== this.sessionId) this.#sessionChanged(previous);
      this.#theirs = undefined; // the old store's
      // A pending message may be another tab's request in flight, which holds its Web Lock: it is marked undelivered
      // only once that lock is free (at once if the page that sent it went away), unless its reply has come by then
      // (storage is caught up with first, the lock still held).
      for (const { id, status } of this.messages) if (status === 'pending') whenFree(id, () => this.#afterCatchUp(() => this.#interrupt(id)));
    }
    if (this.#connected) this.#subscribe();
    this.#host.requestUpdate();
  }

  /** A message left pending by a page that went away may never have arrived: say so, offer retry (no `thinnest-chat-error`: see `#failed`). */
  #interrupt(id: string): void {
    if (id === this.pendingId) return;
    const error = this.#interrupted();
    const messages = this.messages.map((m): ChatMessage => (m.id === id && m.status === 'pending' ? { ...m, status: 'failed', error } : m));
    this.#conversation = freeze({ ...this.#conversation, messages });
    this.#host.requestUpdate();
  }

  /** The failure a message shows that may never have arrived (its page went away, or another tab's session won). */
  #interrupted() {
    return describeFailure({ code: 'interrupted', status: 0 }, this.#config().strings);
  }

  /**
   * Follows what other tabs stored, without waiting for their `storage` event. Returns a promise while the code
   * that follows it is on its way (or while it is for an earlier change): what comes next waits for it. Every send
   * waits for it first, so the message lands where another tab's did: that tab may have started a session whose
   * storage event has not arrived yet, to join rather than race; and another widget on this page with the same
   * storage key (a site-wide bubble beside an inline widget) hears of a write at once (session-store.ts), but follows
   * it only once the code for that has come.
   */
  #catchUp(): Promise<void> | undefined {
    const theirs = this.#store && this.#connected ? this.#store.changes() : null;
    return theirs ? this.#follow(theirs) : this.#following;
  }

  /**
   * Runs `then` once caught up with what other tabs stored: at once, unless the code that follows them must come
   * first. Run under a message's lock, the lock is held until `then` has run.
   */
  #afterCatchUp(then: () => unknown): unknown {
    const catchingUp = this.#catchUp();
    return catchingUp ? catchingUp.then(then) : then();
  }

  #subscribe(): void {
    this.#unsubscribe();
    this.#unsubscribe = this.#store?.subscribe((theirs) => void this.#follow(theirs)) ?? (() => {});
  }

  /**
   * Follows `theirs`, another tab's copy of the conversation: at once when the code for it (tab-sync.ts) is here,
   * else once it has come. Code that could not come (offline) is asked for again at the next change, or back online;
   * until then this tab goes on with what it has, and the other tabs follow its writes as before.
   */
  #follow(theirs: Conversation): Promise<void> | undefined {
    if (tabSync) {
      this.#apply(tabSync, theirs);
      return;
    }
    this.#theirs = theirs;
    return (this.#following ??= loadTabSync().then((code) => {
      this.#following = undefined;
      const held = this.#theirs;
      if (!code || !held) return;
      this.#theirs = undefined;
      this.#apply(code, held);
    }));
  }

  /** Another tab changed the conversation: follow it, keeping what only this tab knows. */
  #apply(code: typeof import('./tab-sync.js'), theirs: Conversation): void {
    const previous = this.sessionId;
    const error = this.#interrupted();
    const { conversation, save, joined } = code.follow(this.#conversation, theirs, this.pendingId, error);
    // This tab's message awaiting a reply, in the session another tab's replaced, is kept as failed, to retry.
    const dropped = joined && this.pendingId;
    if (joined) this.#dropInFlight();
    this.#conversation = freeze(conversation);
    if (save) this.#store?.save(this.#conversation);
    this.#host.requestUpdate();
    if (joined) this.#sessionChanged(previous);
    if (dropped) this.#failed(error);
  }

  /**
   * Sends `text` (the page's `send()`). Returns `null` when nothing was sent (empty text, or a cancelled
   * `thinnest-chat-send`), else a promise that settles when the send ends either way. One request is in flight at a
   * time: while one is, the send waits its turn (sends from the page go out in the order made). While another tab's
   * change is being followed (see `submit`), the send waits for it, and the promise may then end without a send.
   */
  send(text: string): Promise<void> | null {
    const message = text.trim();
    if (isBlank(message)) return null;
    const waiting = this.#inFlight?.sent ?? this.#catchUp();
    if (waiting) return waiting.then(() => this.send(text) ?? undefined);
    const previous = this.sessionId;
    const sessionId = previous ?? randomId();
    if (!this.#sending(message, sessionId)) return null;
    const entry: ChatMessage = { id: randomId(), role: 'user', text: message, createdAt: Date.now(), status: 'pending' };
    const release = hold(entry.id);
    // Session and message are stored together: another tab never sees the new session without the message.
    const conversation: Conversation = { ...this.#conversation, sessionId, messages: [...this.messages, entry] };
    if (previous === null) conversation.startedAt = this.#nextStart();
    this.#commit(conversation);
    if (previous === null) this.#sessionChanged(previous);
    return this.#deliver(entry, release);
  }

  /**
   * The composer's send: whether `text` went out (its draft is then cleared; while a request is in flight it is
   * not, and stays in the box); or, while another tab's change is being followed first, a promise of whether to
   * submit it again (it has been), so a cancelled or refused send keeps the draft as it would have at once.
   */
  submit(text: string): boolean | Promise<boolean> {
    const catchingUp = this.#catchUp();
    return catchingUp ? catchingUp.then(() => true) : !this.#inFlight && !!this.send(text);
  }

  /** `thinnest-chat-send`, for a send or a retry: whether the page let it go. */
  #sending(message: string, sessionId: string): boolean {
    return this.#host.dispatchEvent(createChatEvent('thinnest-chat-send', { message, sessionId }));
  }

  /**
   * Sends a failed message again, same text and session, once; `null` when it cannot be retried now, or the page
   * cancelled its `thinnest-chat-send` (the message then stays as it was, retry offered).
   */
  retry(id: string): Promise<void> | null {
    const failed = this.messages.find((message) => message.id === id);
    if (!failed || failed.status !== 'failed' || !failed.error?.retryable || this.#inFlight) return null;
    if (secondsLeft(failed, Date.now()) !== undefined) return null;
    const sessionId = this.sessionId ?? randomId();
    if (!this.#sending(failed.text, sessionId)) return null;
    if (this.sessionId === null) this.#setSession(sessionId);
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

  /** Aborts the request in flight; its message stays, marked stopped, with a retry control. */
  stop(): void {
    this.#inFlight?.abort.abort();
  }

  /** Clears the transcript and starts a fresh session; a pending reply is dropped. */
  newSession(): void {
    this.#dropInFlight();
    this.#setSession(randomId(), []);
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
    // Another tab's change that could not be followed offline (its code did not come) is followed now.
    if (this.#theirs) void this.#follow(this.#theirs);
    const last = this.messages.at(-1);
    if (last?.role === 'user' && last.status === 'failed' && last.error?.code === 'offline') {
      whenFree(last.id, () => this.#afterCatchUp(() => this.retry(last.id)));
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
      // The config's headers, credentials and timeoutMs go with the request as they are.
      const sent = postMessage({ ...config, url: config.proxyUrl!, message: entry.text, sessionId, signal: abort.signal });
      this.#inFlight = { messageId: entry.id, abort, sent };
      this.#host.requestUpdate();
      const result = await sent;
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
    this.#failed(error);
  }

  /**
   * `thinnest-chat-error`, for a send of this page's that failed. A message another page left pending (reloaded or
   * closed mid-request) is shown as failed here without one: every open tab finds it so, and it would be reported once each.
   */
  #failed({ code, status, message, retryable }: ChatError): void {
    this.#host.dispatchEvent(createChatEvent('thinnest-chat-error', { code, status, message, retryable }));
  }

  /** Moves the conversation to `sessionId` (with `messages`: a new session has none) and tells the page. */
  #setSession(sessionId: string, messages = this.#conversation.messages): void {
    const previous = this.sessionId;
    // A renamed session (adopted from the server) outranks its old name in other tabs.
    this.#commit({ ...this.#conversation, sessionId, messages, startedAt: this.#nextStart() });
    this.#sessionChanged(previous);
  }

  /** `thinnest-chat-session`: the session started, was adopted from the server, reset, or followed from another tab. */
  #sessionChanged(previous: string | null): void {
    this.#host.dispatchEvent(createChatEvent('thinnest-chat-session', { sessionId: this.sessionId, previous }));
  }

  #commit(conversation: Conversation): void {
    this.#conversation = freeze(conversation);
    this.#store?.save(conversation);
    this.#host.requestUpdate();
  }

  /** Drops the conversation's request in flight: aborted, and its reply, should one still come, ignored. */
  #dropInFlight(): void {
    this.#inFlight?.abort.abort();
    this.#inFlight = null;
    this.#generation++;
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
