// Small helpers shared by the proxy's tests.
import assert from 'node:assert/strict';
import type { CliIo } from '../../server/cli.js';
import type { ProxyLogEntry } from '../../server/proxy.js';
import { FAKE_KEY } from './fake-thinnest.js';

export const PROXY_URL = 'http://127.0.0.1:8787/api/chat';

/** Every status the wire of SPEC §2 allows the proxy to answer with. */
export const WIRE_STATUSES = new Set([200, 204, 400, 401, 403, 404, 405, 408, 413, 429, 500, 502, 504]);
export const ERROR_CODES = new Set([
  'bad_request', 'unauthorized', 'not_found', 'forbidden_origin', 'payload_too_large', 'rate_limited',
  'upstream_error', 'bad_gateway', 'gateway_timeout', 'method_not_allowed', 'request_timeout',
]);

export function chatRequest(body: unknown, init: { headers?: Record<string, string>; method?: string; url?: string } = {}): Request {
  return new Request(init.url ?? PROXY_URL, {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A response as plain data, so it can be asserted and searched for the key. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), text, json };
}

/** Fails when the key (or its distinctive tail) appears anywhere in the text. */
export function assertNoKey(where: string, text: string, key = FAKE_KEY): void {
  assert.ok(!text.includes(key), `${where} contains the API key`);
  assert.ok(!text.includes(key.slice(-12)), `${where} contains part of the API key`);
}

export function assertNoKeyInAnswer(result: Answer, key = FAKE_KEY): void {
  assertNoKey('response body', result.text, key);
  assertNoKey('response headers', JSON.stringify(result.headers), key);
}

/** Asserts the error shape of SPEC §2 with the given status and code. */
export function assertFailure(result: Answer, status: number, code: string): void {
  assert.equal(result.status, status, `status (body: ${result.text})`);
  assert.equal(result.json?.success, false);
  assert.equal(result.json?.error?.code, code);
  assert.equal(typeof result.json?.error?.message, 'string');
  assert.ok(result.json.error.message.length > 0);
}

export function logCollector(): { entries: ProxyLogEntry[]; log: (entry: ProxyLogEntry) => void; text(): string } {
  const entries: ProxyLogEntry[] = [];
  return { entries, log: (entry) => entries.push(entry), text: () => JSON.stringify(entries) };
}

/** A body that arrives in chunks, with no Content-Length. */
export function chunkedBody(totalBytes: number, chunkBytes = 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      controller.enqueue(new TextEncoder().encode('x'.repeat(size)));
      sent += size;
    },
  });
}

/** The CLI's output, kept: `lines` (stdout), `errors` (stderr), and both together. */
export function captureIo(cwd: string): CliIo & { lines: string[]; errors: string[]; all(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { cwd, lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), all: () => [...lines, ...errors].join('\n') };
}
