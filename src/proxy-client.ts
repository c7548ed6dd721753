import type { ChatError, ChatReplyBody, ChatRequestBody } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { isRecord } from './rules.js';
import { successShape } from './reply-shape.js';
import { parseRetryAfter } from './retry-after.js';

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
  /** Sends the page the message is written on (`page-context`). */
  pageContext?: boolean;
}

/** A failure before it is put into words. */
export interface Failure {
  code: FailureCode;
  status: number;
  retryAfter?: number;
}

export type FailureCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'daily_limit'
  | 'server_error'
  | 'bad_gateway'
  | 'service_unavailable'
  | 'gateway_timeout'
  | 'http_error'
  | 'timeout'
  | 'network'
  | 'offline'
  | 'invalid_response'
  | 'stopped'
  | 'interrupted'
  | 'misconfigured';

export type ProxyResult = { ok: true; reply: ChatReplyBody } | { ok: false; failure: Failure };

const STATUS_CODES: Record<number, FailureCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
  500: 'server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/**
 * Failures that resending the same text cannot cure (401/403/404: the site is misconfigured; the site's
 * daily limit, until tomorrow); every other one can.
 */
const FINAL = new Set<FailureCode>(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'daily_limit', 'misconfigured']);

const isOffline = () => globalThis.navigator?.onLine === false;

/** POSTs one message to the proxy. Never throws: every outcome is a value. */
export async function postMessage(request: ProxyRequest): Promise<ProxyResult> {
  if (isOffline()) return { ok: false, failure: { code: 'offline', status: 0 } };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onStop = () => controller.abort();
  request.signal?.addEventListener('abort', onStop);
  if (request.signal?.aborted) controller.abort();

  const body: ChatRequestBody = { message: request.message, session_id: request.sessionId };
  // Cut to what the proxy takes (MAX_PAGE_FIELD_CHARS, server/page-context.ts): a long URL never costs the message.
  if (request.pageContext) body.page = { path: location.pathname.slice(0, 2048), title: document.title.slice(0, 2048) };
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: request.credentials, // unset: fetch's own default, same-origin
      // The visitor's message goes to proxy-url only: a redirect (a CDN rule, a hijacked route) is a failure, never followed elsewhere.
      redirect: 'manual',
      signal: controller.signal,
    });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await answeredWords();
      return { ok: false, failure: { code: 'invalid_response', status: response.status } };
    }
    const text = await response.text();
    const result = classifyResponse(response.status, text, response.headers.get('Retry-After'));
    if (!result.ok) await answeredWords();
    return result;
  } catch {
    // fetch rejects with a TypeError for every transport failure; the flags tell them apart.
    const code = timedOut ? 'timeout' : request.signal?.aborted ? 'stopped' : isOffline() ? 'offline' : 'network';
    return { ok: false, failure: { code, status: 0 } };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onStop);
  }
}

/** Turns a status and a body into a reply or a failure. Anything off the documented shape fails. */
export function classifyResponse(status: number, text: string, retryAfterHeader: string | null = null): ProxyResult {
  const body = parseJson(text);
  if (status >= 200 && status < 300) {
    const reply = replyFrom(body);
    if (reply) return { ok: true, reply };
    return { ok: false, failure: { code: isRecord(body) && body.success === false ? 'server_error' : 'invalid_response', status } };
  }
  // The proxy's spend cap (`error.code` of its error shape, SPEC §2): said in plain words, with no countdown of the
  // hours until midnight UTC.
  if (status === 429 && isRecord(body) && isRecord(body.error) && body.error.code === 'daily_limit') {
    return { ok: false, failure: { code: 'daily_limit', status } };
  }
  const failure: Failure = { code: STATUS_CODES[status] ?? 'http_error', status };
  if (status === 429) {
    const seconds = parseRetryAfter(retryAfterHeader);
    if (seconds !== undefined) failure.retryAfter = seconds;
  }
  return { ok: false, failure };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The success shape, validated field by field (reply-shape.ts, as the proxy reads it); `undefined` when it does not
 * hold. Its `metadata` is passed on as the proxy sent it: a proxy of the site's own may add fields.
 */
const replyFrom = (body: unknown) => successShape(body) as ChatReplyBody | undefined;

export function parseReply(text: string): ChatReplyBody | undefined {
  return replyFrom(parseJson(text));
}

/** The English of failures the proxy answered, once fetched (answered-failure-strings.ts). */
let answered: Partial<typeof import('./answered-failure-strings.js').answeredFailureEnglish> = {};

/**
 * Fetches the English of failures the proxy answered, before such a failure is put into words. Where that file
 * cannot be had, such a failure's message is empty: the transcript then shows the words it was stored with, or
 * "Not delivered" (message-view.ts, chat-controller.ts).
 */
const answeredWords = (): Promise<unknown> =>
  import('./answered-failure-strings.js').then((words) => (answered = words.answeredFailureEnglish), () => {});

/** Puts a failure into the visitor's words. */
export function describeFailure(failure: Failure, strings: ChatStrings, timeoutMs = 60_000): ChatError {
  const { code, status, retryAfter } = failure;
  const retryable = !FINAL.has(code);
  // The words of a failure the proxy answered that no locale or override sets are English kept in a chunk of
  // their own, fetched with the first such failure (answered-failure-strings.ts).
  const say = (key: keyof typeof answered) => strings[key] || answered[key] || '';
  const messages: Record<FailureCode, string> = {
    bad_request: say('errorBadRequest'),
    unauthorized: say('errorUnavailable'),
    forbidden: say('errorUnavailable'),
    not_found: say('errorUnavailable'),
    payload_too_large: say('errorTooLarge'),
    rate_limited:
      retryAfter !== undefined && retryAfter > 0
        ? format(say('errorRateLimitedFor'), { seconds: retryAfter })
        : say('errorRateLimited'),
    daily_limit: say('errorDailyLimit'),
    server_error: say('errorServer'),
    bad_gateway: strings.errorBadGateway,
    service_unavailable: say('errorBusy'),
    gateway_timeout: say('errorGatewayTimeout'),
    http_error: format(say('errorUnknown'), { status }),
    timeout: format(strings.errorTimeout, { seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) }),
    network: strings.errorNetwork,
    offline: strings.errorOffline,
    invalid_response: say('errorInvalidResponse'),
    stopped: strings.errorStopped,
    interrupted: strings.errorInterrupted,
    misconfigured: strings.errorMisconfigured,
  };
  const error: ChatError = { code, status, message: messages[code], retryable };
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  return error;
}
