import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, Persist } from './types.js';
import type { ChatStrings } from './strings.js';
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
    fetch?: typeof fetch;
}
type Host = ReactiveControllerHost & EventTarget;
/**
 * The conversation state machine: idle → sending → replied | failed → retry. Owns the proxy
 * client and the store; the element only renders `messages` and calls these methods.
 */
export declare class ChatController implements ReactiveController {
    #private;
    constructor(host: Host, config: () => ChatConfig);
    get messages(): readonly ChatMessage[];
    get sessionId(): string | null;
    /** The id of the visitor message awaiting a reply, if any. */
    get pendingId(): string | null;
    hostConnected(): void;
    hostDisconnected(): void;
    /** (Re)opens the store named by the current config; call when `storage-key`, `proxy-url` or `persist` change. */
    open(): void;
    /**
     * Starts sending `text`. Returns `null` when nothing was sent (empty text, a request already
     * in flight, or a cancelled `thinnest-chat-send`), else a promise that settles when the
     * send ends either way.
     */
    send(text: string): Promise<void> | null;
    /** Sends a failed message again, same text and session, once; `null` when it cannot be retried now. */
    retry(id: string): Promise<void> | null;
    /** Aborts the request in flight; its message stays, marked stopped, with a retry control. */
    stop(): void;
    /** Clears the transcript and starts a fresh session; a pending reply is dropped. */
    newSession(): void;
}
/** Union of two transcripts by id, in time order; the further-along copy of a message wins. */
export declare function mergeMessages(local: readonly ChatMessage[], remote: readonly ChatMessage[], inFlightId: string | null): ChatMessage[];
export {};
