// One call to the thinnest.ai chat API (SPEC §1), with a timeout, mapped to a value: a reply or a ProxyFailure.
import { failure, type ProxyFailure } from './errors.js';
import { cancelQuietly, readBodyWithin, type BodyReadResult } from './read-body.js';
import type { ChatRequestBody, ChatSuccess } from './wire.js';
import { successShape } from '../src/reply-shape.js';
import { parseRetryAfter } from '../src/retry-after.js';

/** Sends one upstream request the way `fetch(url, init)` does; the global fetch fits. */
export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface UpstreamCall {
  url: string;
  apiKey: string;
  body: ChatRequestBody;
  timeoutMs: number;
  send: UpstreamFetch;
  /** Aborts the upstream call when the visitor goes away. */
  clientSignal?: AbortSignal;
  /** Aborts the upstream call when the proxy shuts down and can wait no longer (`interrupt()`): answered 503. */
  interruptSignal?: AbortSignal;
  /** Removes the key from text bound for the log. */
  redact: (text: string) => string;
}

export type UpstreamResult = { ok: true; reply: ChatSuccess } | { ok: false; failure: ProxyFailure };

/** A valid reply is a few kilobytes; anything near this is not the documented JSON. */
const MAX_UPSTREAM_BYTES = 1_048_576;

export async function callUpstream(call: UpstreamCall): Promise<UpstreamResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeoutMs);
  const abortUpstream = () => controller.abort();
  call.clientSignal?.addEventListener('abort', abortUpstream, { once: true });
  call.interruptSignal?.addEventListener('abort', abortUpstream, { once: true });
  const stopped = untilAborted(controller.signal); // a send that ignores its signal still cannot outlive the timeout

  const visitorLeft = () => !timedOut && call.clientSignal?.aborted === true;
  const closedByVisitor: UpstreamResult = { ok: false, failure: failure('client_closed', { detail: 'the visitor stopped waiting before the agent answered' }) };
  const interrupted: UpstreamResult = {
    ok: false,
    failure: failure('shutting_down', { retryAfterSeconds: 5, detail: 'the proxy shut down before the agent answered' }),
  };
  const unreachable = (error: unknown): UpstreamResult =>
    !timedOut && call.interruptSignal?.aborted
      ? interrupted
      : visitorLeft()
      ? closedByVisitor
      : {
          ok: false,
          failure: timedOut
            ? failure('gateway_timeout', { detail: `no answer within ${call.timeoutMs} ms` })
            : failure('bad_gateway', { detail: call.redact(`upstream unreachable: ${describeError(error)}`) }),
        };

  try {
    if (call.interruptSignal?.aborted) return interrupted; // interrupted before it began: answered without asking
    let response: Response;
    try {
      const init: RequestInit = {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${call.apiKey}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(call.body),
        redirect: 'manual', // the key must not follow a redirect anywhere; Workers reject 'error', so a 3xx maps to 502 below
        signal: controller.signal,
      };
      response = await Promise.race([call.send(call.url, init), stopped]);
    } catch (error) {
      return unreachable(error);
    }

    if (visitorLeft()) {
      cancelQuietly(response); // an answer to the visitor's abort (the mock agent's 499) is no failure of the agent's
      return closedByVisitor;
    }
    if (response.status < 200 || response.status > 299) {
      cancelQuietly(response); // upstream's error text is never read, so it cannot be echoed; a body that cannot even be had is no error of ours
      return { ok: false, failure: failureForStatus(response) };
    }

    let read: BodyReadResult;
    try {
      read = await Promise.race([readBodyWithin(response, MAX_UPSTREAM_BYTES), stopped]);
    } catch (error) {
      return unreachable(error);
    }
    if (!read.ok) {
      return read.reason === 'too_large'
        ? { ok: false, failure: failure('bad_gateway', { detail: 'upstream answer larger than 1 MiB' }) }
        : unreachable(new Error('connection lost while reading the answer'));
    }
    const reply = parseReply(read.bytes);
    return reply ? { ok: true, reply } : { ok: false, failure: failure('bad_gateway', { detail: `upstream answered ${response.status} without the documented JSON` }) };
  } finally {
    clearTimeout(timer);
    call.clientSignal?.removeEventListener('abort', abortUpstream);
    call.interruptSignal?.removeEventListener('abort', abortUpstream);
  }
}

function failureForStatus(response: Response): ProxyFailure {
  const detail = `upstream answered ${response.status}`;
  switch (response.status) {
    case 400:
      return failure('bad_request', { message: 'The agent refused this message.', detail });
    case 401:
    case 403:
      return failure('unauthorized', { detail });
    case 404:
      return failure('not_found', { detail });
    case 408:
    case 504:
      return failure('gateway_timeout', { detail });
    case 413:
      return failure('payload_too_large', { detail });
    case 429:
      return failure('rate_limited', { retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')), detail });
    case 500:
      return failure('upstream_error', { detail });
    default:
      return failure('bad_gateway', { detail });
  }
}

/** Upstream's Retry-After, passed on within [1 s, 1 h]; 30 s when absent or unreadable. */
function retryAfterSeconds(header: string | null): number {
  return Math.min(3600, Math.max(1, parseRetryAfter(header) ?? 30));
}

/** Accepts exactly the documented success shape and rebuilds it, so nothing else upstream sent is passed on. */
export function parseReply(bytes: Uint8Array): ChatSuccess | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  const shape = successShape(value);
  if (!shape) return undefined;
  const { response, session_id, metadata } = shape;
  const reply: ChatSuccess = { success: true, response, session_id, metadata: {} };
  if (typeof metadata.model === 'string') reply.metadata.model = metadata.model;
  if (typeof metadata.latency_ms === 'number' && Number.isFinite(metadata.latency_ms)) reply.metadata.latency_ms = metadata.latency_ms;
  return reply;
}

/** Name, message and the network cause (e.g. ECONNREFUSED) of a fetch failure, for the log. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const causeText = cause && typeof cause === 'object' ? ` (${String(cause.code ?? cause.message ?? '')})` : '';
  return `${error.name}: ${error.message}${causeText}`;
}

/** Text as it may be printed: every http(s) URL in it (THINNEST_API_BASE, one in fetch's error) without a user and password. */
export function withoutCredentials(text: string): string {
  return text.replace(/\b(https?:\/\/)[^\s/?#]*@/gi, '$1');
}

function untilAborted(signal: AbortSignal): Promise<never> {
  const stopped = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  stopped.catch(() => {}); // only ever observed through Promise.race
  return stopped;
}
