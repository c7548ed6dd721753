import { type TemplateResult } from 'lit';
import type { ChatMessage } from './types.js';
import { type ChatStrings } from './strings.js';
/** The sanitized DOM of an assistant reply, made on first use and reused on every render. */
export declare function replyNode(message: ChatMessage, strings: ChatStrings): HTMLElement;
/** The welcome message's DOM, cached by its text. */
export declare function welcomeNode(source: string, strings: ChatStrings): HTMLElement;
export interface MessageViewContext {
    strings: ChatStrings;
    timeoutMs: number;
    now: number;
    canRetry: boolean;
    onRetry: (id: string) => void;
}
/** One transcript entry. Visitor text is bound as text, never as HTML. */
export declare function messageView(message: ChatMessage, context: MessageViewContext): TemplateResult;
/** Seconds until a rate-limited message may be retried, or undefined when it may now. */
export declare function secondsLeft(message: ChatMessage, now: number): number | undefined;
