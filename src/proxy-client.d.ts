import type { ChatError, ChatReplyBody } from './types.js';
import { type ChatStrings } from './strings.js';
/** What one POST to the proxy needs. */
export interface ProxyRequest {
    url: string;
    message: string;
    sessionId: string;
    headers?: Record<string, string>;
    credentials?: RequestCredentials;
    /** Per-request limit in ms. */
    timeoutMs: number;
    /** Aborting it (the visitor's stop control) ends the request as `stopped`. */
    signal?: AbortSignal;
    /** Overridable for tests and for pages that must route requests themselves. */
    fetch?: typeof fetch;
}
/** A failure before it is put into words. */
export interface Failure {
    code: FailureCode;
    status: number;
    retryAfter?: number;
}
export type FailureCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'payload_too_large' | 'rate_limited' | 'server_error' | 'bad_gateway' | 'service_unavailable' | 'gateway_timeout' | 'http_error' | 'timeout' | 'network' | 'offline' | 'invalid_response' | 'stopped' | 'interrupted' | 'misconfigured';
export type ProxyResult = {
    ok: true;
    reply: ChatReplyBody;
} | {
    ok: false;
    failure: Failure;
};
/** POSTs one message to the proxy. Never throws: every outcome is a value. */
export declare function postMessage(request: ProxyRequest): Promise<ProxyResult>;
/** Turns a status and a body into a reply or a failure. Anything off the documented shape fails. */
export declare function classifyResponse(status: number, text: string, retryAfterHeader?: string | null): ProxyResult;
/** The success shape, validated field by field; `undefined` when it does not hold. */
export declare function parseReply(text: string): ChatReplyBody | undefined;
/** Session ids are opaque tokens; this bounds them to something safe to store and send back. */
export declare function isSessionId(value: unknown): value is string;
/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date. */
export declare function parseRetryAfter(header: string | null, now?: number): number | undefined;
/** Puts a failure into the visitor's words. */
export declare function describeFailure(failure: Failure, strings: ChatStrings, timeoutMs?: number): ChatError;
/**
 * Why this configuration must not send, for the site owner's console; `null` when it may.
 * Keys belong on a proxy: a URL on the thinnest.ai API or a header carrying an Agent API key
 * would put the key in every visitor's browser.
 */
export declare function configurationProblem(proxyUrl: string | undefined, headers: Record<string, string> | undefined): string | null;
