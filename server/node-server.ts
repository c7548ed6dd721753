// Serves a proxy handler over Node's HTTP server; the handler routes (createProxy with chatPath) and logs.
import { createAdaptorServer } from '@hono/node-server';
import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { failure, failureBody, failureResponse, statusOf } from './errors.js';
import { addressedToLoopback, isLoopbackHost } from './loopback.js';
import { feedbackPathBeside, type ProxyHandler, type ProxyLifecycle, type ProxyLogEntry } from './proxy.js';
import { redactor } from '../src/rules.js';

export const CHAT_PATH = '/api/chat';
/** Beside the chat path, where the widget's `feedback-url` points by default. */
export const FEEDBACK_PATH = feedbackPathBeside(CHAT_PATH);

export interface RunningServer {
  /** The base URL it listens on, e.g. http://127.0.0.1:8787 */
  url: string;
  /**
   * Stops accepting connections and closes idle ones; requests in flight get up to `graceMs` to finish
   * (default 0: cut at once), then every connection left is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** How long a graceful shutdown (SIGTERM, SIGINT) waits for requests in flight before interrupting them. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** How long the 503s of an interrupt() have to be written before every connection still open is cut. */
const INTERRUPTED_ANSWERS_MS = 1000;

/**
 * Formats one request as a log line: time, method, path, status, latency, and the failure code and reason
 * if any. `secret` (the API key) is replaced wherever it appears before the path is cut to 200 characters,
 * so no part of it survives a cut.
 */
export function formatLogLine(entry: ProxyLogEntry, at = new Date(), secret?: string): string {
  const hide = redactor(secret);
  const failure = entry.code ? ` ${entry.code}${entry.detail ? ` (${hide(entry.detail)})` : ''}` : '';
  return `${at.toISOString()} ${entry.method} ${hide(entry.path).slice(0, 200)} ${entry.status} ${entry.latencyMs}ms${failure}`;
}

/**
 * The same request as one JSON line (LOG_FORMAT=json): time, method, path, status, ms, upstreamMs, code,
 * detail and the client's hash; never the message or the key, which `secret` redacts as formatLogLine does.
 */
export function formatJsonLine(entry: ProxyLogEntry, at = new Date(), secret?: string): string {
  const hide = redactor(secret);
  return JSON.stringify({
    time: at.toISOString(),
    method: entry.method,
    path: hide(entry.path).slice(0, 200),
    status: entry.status,
    ms: entry.latencyMs,
    upstreamMs: entry.upstreamMs,
    code: entry.code,
    detail: entry.detail === undefined ? undefined : hide(entry.detail),
    client: entry.client,
  });
}

/** How long a client may take, and how much header it may send; Node's defaults are minutes and 16 KiB. */
export interface ConnectionLimits {
  /** Headers must be complete within this (slowloris). Default 10000. */
  headersTimeoutMs: number;
  /** The whole request, body included, within this; the proxy's own body timeout answers 408 first. Default 30000. */
  requestTimeoutMs: number;
  /** Larger request headers get 431 and a closed connection. Default 16384. */
  maxHeaderBytes: number;
  /**
   * An idle keep-alive connection is closed after this. Default 65000: longer than the load balancers in front
   * keep theirs (AWS ALB 60 s), so the balancer never sends a request on a connection this server is closing
   * (a sporadic 502). Node's own 5 s did just that.
   */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxHeaderBytes: 16_384, keepAliveTimeoutMs: 65_000 };

/**
 * Listens on host:port (port 0 picks a free one). The handler routes and logs its own requests; this
 * server logs only the ones it answers itself, as route `none`: when it listens on loopback, requests addressed
 * to any other name, and what Node cannot read as HTTP (400, 408, 431).
 */
export async function startNodeServer(
  handler: ProxyHandler & Partial<Pick<ProxyLifecycle, 'interrupt'>>,
  listen: {
    host: string;
    port: number;
    /** A reverse proxy in front (TRUST_PROXY) may pass on the public Host; then it, not this server, checks Host. */
    behindProxy?: boolean;
  },
  log: (entry: ProxyLogEntry) => void,
  limits: Partial<ConnectionLimits> = {},
): Promise<RunningServer> {
  const { headersTimeoutMs, requestTimeoutMs, maxHeaderBytes, keepAliveTimeoutMs } = { ...DEFAULT_CONNECTION_LIMITS, ...limits };
  const loopbackOnly = !listen.behindProxy && isLoopbackHost(listen.host.includes(':') && !listen.host.startsWith('[') ? `[${listen.host}]` : listen.host);
  const server = createAdaptorServer({
    serverOptions: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: Math.max(requestTimeoutMs, headersTimeoutMs + 1), // Node requires it above headersTimeout
      maxHeaderSize: maxHeaderBytes,
      // Node 18+ times headers from a request's first byte, so a headersTimeout below this never cuts an idle connection.
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks those timeouts on this interval (default 30 s); a second keeps them near their value.
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
    },
    fetch: (request, env) => {
      if (loopbackOnly && !addressedToLoopback(request, env.incoming.headers.host)) {
        const detail = `${refusedNames(request, env.incoming.headers.host, env.incoming.url)}; a DNS-rebinding page?`;
        log({ method: request.method.slice(0, 16), path: new URL(request.url).pathname.slice(0, 4096), status: 403, latencyMs: 0, code: 'forbidden_origin', detail, route: 'none' });
        return failureResponse(failure('forbidden_origin', { message: 'This proxy listens on loopback: it answers only requests addressed to localhost, 127.0.0.1 or [::1].' }));
      }
      return handler(request, { ip: env.incoming.socket.remoteAddress }).then(closeWhenTooSlow);
    },
  }) as Server;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, log));
  // Requests in flight, so a shutdown can wait for them and close each connection as its last response ends.
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.prependListener('request', (_, response: ServerResponse) => {
    if (closing) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: (graceMs = 0) =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
        // At the deadline the messages still waiting for the agent are answered 503 (each connection closes as its answer
        // ends), and a moment later whatever is still open (a body still arriving, a handler without interrupt()) is cut.
        let cut: ReturnType<typeof setTimeout> | undefined;
        const deadline = setTimeout(() => {
          handler.interrupt?.();
          cut = setTimeout(() => server.closeAllConnections(), handler.interrupt ? INTERRUPTED_ANSWERS_MS : 0);
        }, graceMs);
        server.close(() => {
          clearTimeout(deadline);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections(); // idle keep-alive sockets would otherwise hold close() open
        if (graceMs <= 0) server.closeAllConnections();
      }),
  };
}

/** For the log: which of the Host header and the request target (absolute-form, `POST http://evil.example/…`) is not loopback. */
function refusedNames(request: Request, hostHeader: string | undefined, requestTarget = ''): string {
  const target = new URL(request.url).host; // from the Host header, unless the request target names its own host
  const absolute = /^https?:\/\//i.test(requestTarget);
  const refused = [
    hostHeader != null && !isLoopbackHost(hostHeader) ? `Host ${hostHeader.slice(0, 100)}` : undefined,
    absolute && !isLoopbackHost(target) ? `request target ${target.slice(0, 100)}` : undefined,
  ].filter(Boolean);
  return refused.length > 1 ? `${refused.join(' and ')} are not loopback names` : `${refused[0] ?? `Host ${target}`} is not a loopback name`;
}

/** A client too slow to send its body gets its 408 and the connection closed, rather than kept trickling until requestTimeout. */
function closeWhenTooSlow(response: Response): Response {
  if (response.status !== 408) return response;
  const headers = new Headers(response.headers);
  headers.set('Connection', 'close');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * What Node cannot read as HTTP (a malformed request line or header, a body longer than its
 * Content-Length, headers over the limit, headers too slow) gets the proxy's JSON error shape rather
 * than Node's bare status line, and the connection is closed; as Node does, nothing is written once
 * a response on that socket has begun.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, log: (entry: ProxyLogEntry) => void): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) return void socket.destroy();
  const failed =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? failure('headers_too_large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? failure('request_timeout')
        : failure('bad_request', { message: 'The request is not valid HTTP.' });
  const status = statusOf(failed.code);
  // Method and path are unknown: the request could not be read.
  log({ method: '-', path: '-', status, latencyMs: 0, code: failed.code, detail: error.code ?? 'not HTTP', route: 'none' });
  const body = JSON.stringify(failureBody(failed));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
