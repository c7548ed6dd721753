import type { ChatMessage, Persist } from './types.js';
/** Bumped when the stored shape changes; other versions start fresh. */
export declare const STORAGE_VERSION = 1;
/** Only the newest messages are kept, so storage stays bounded. */
export declare const MAX_STORED_MESSAGES = 200;
/** What the store keeps for one widget: its session and transcript. */
export interface Conversation {
    sessionId: string | null;
    messages: ChatMessage[];
}
/**
 * The storage key of a widget: its `storage-key`, or else its absolute `proxy-url`, so two
 * widgets talking to different proxies never share a session.
 */
export declare function storageKeyFor(storageKey: string | undefined, proxyUrl: string | undefined): string;
export declare function emptyConversation(): Conversation;
/**
 * Versioned, bounded, validated persistence of one conversation, in localStorage,
 * sessionStorage or memory. Storage that throws (private mode, quota, blocked cookies)
 * silently falls back to memory; nothing here throws to the caller.
 */
export declare class SessionStore {
    #private;
    readonly key: string;
    readonly persist: Persist;
    constructor(key: string, persist: Persist, storage?: Storage | null);
    /** True when this store keeps data in memory only (by choice or because storage failed). */
    get inMemory(): boolean;
    load(): Conversation;
    save(conversation: Conversation): void;
    clear(): void;
    /**
     * Calls back when another tab changes this conversation (`storage` event). Returns the
     * unsubscribe function.
     */
    subscribe(onChange: (conversation: Conversation) => void): () => void;
}
/** Reads stored text; corrupt, foreign or old data gives an empty conversation. Never throws. */
export declare function parseConversation(raw: string | null): Conversation;
