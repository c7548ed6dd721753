// The proxy's failures as values: a stable code, its HTTP status, and the proxy's own words.
import type { ChatFailure, ProxyErrorCode } from './wire.js';

export interface ProxyFailure {
  code: ProxyErrorCode;
  /** Shown to the widget; never upstream text, so nothing upstream says (or leaks) is echoed. */
  message: string;
  retryAfterSeconds?: number;
  /** For the log line only; already free of the API key. */
  detail?: string;
}

const STATUS: Record<ProxyErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  request_timeout: 408,
  headers_too_large: 431,
  rate_limited: 429,
  daily_limit: 429,
  upstream_error: 500,
  internal_error: 500,
  bad_gateway: 502,
  gateway_timeout: 504,
  client_closed: 499, // nginx's "client closed request": no 502 alert for the widget's stop button
  shutting_down: 503,
};

const DEFAULT_MESSAGE: Record<ProxyErrorCode, string> = {
  bad_request: 'The request is not valid.',
  unauthorized: 'The chat is not available: the proxy’s API key was rejected.',
  forbidden_origin: 'This site is not allowed to use this chat.',
  not_found: 'The chat is not available: the agent was not found.',
  method_not_allowed: 'Send chat messages with POST.',
  payload_too_large: 'The message is too large.',
  request_timeout: 'The message took too long to arrive. Please try again.',
  headers_too_large: 'The request headers are too large.',
  rate_limited: 'Too many messages. Please wait a moment and try again.',
  daily_limit: 'This chat has reached its limit for today. Please come back tomorrow.',
  upstream_error: 'The agent could not answer. Please try again.',
  internal_error: 'The chat proxy failed. Please try again.',
  bad_gateway: 'The chat service could not be reached. Please try again.',
  gateway_timeout: 'The chat service took too long to answer. Please try again.',
  client_closed: 'The request was stopped before the agent answered.',
  shutting_down: 'The chat is restarting. Please try again in a moment.',
};

export function failure(code: ProxyErrorCode, extra: Partial<Omit<ProxyFailure, 'code'>> = {}): ProxyFailure {
  return { code, message: extra.message ?? DEFAULT_MESSAGE[code], ...(extra.retryAfterSeconds ? { retryAfterSeconds: extra.retryAfterSeconds } : {}), ...(extra.detail ? { detail: extra.detail } : {}) };
}

export function statusOf(code: ProxyErrorCode): number {
  return STATUS[code];
}

export function failureBody(failed: ProxyFailure): ChatFailure {
  return { success: false, error: { code: failed.code, message: failed.message } };
}

/** The failure as a whole JSON response, for answers given outside the Hono app (the Node server's Host check). */
export function failureResponse(failed: ProxyFailure, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extraHeaders };
  if (failed.retryAfterSeconds) headers['Retry-After'] = String(failed.retryAfterSeconds);
  return new Response(JSON.stringify(failureBody(failed)), { status: statusOf(failed.code), headers });
}
