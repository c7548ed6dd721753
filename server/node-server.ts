// Serves a proxy handler over Node's HTTP server: POST /api/chat, GET /healthz, one log line per request.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyHandler, ProxyLogEntry } from './proxy.js';

export const CHAT_PATH = '/api/chat';
export const HEALTH_PATH = '/healthz';

export interface RunningServer {
  /** The base URL it listens on, e.g. http://127.0.0.1:8787 */
  url: string;
  close(): Promise<void>;
}

/** Formats one request as a log line: time, method, path, status, latency, and the failure code and reason if any. */
export function formatLogLine(entry: ProxyLogEntry, at = new Date()): string {
  const failure = entry.code ? ` ${entry.code}${entry.detail ? ` (${entry.detail})` : ''}` : '';
  return `${at.toISOString()} ${entry.method} ${entry.path} ${entry.status} ${entry.latencyMs}ms${failure}`;
}

/**
 * Listens on host:port (port 0 picks a free one). The handler must log its own requests; this
 * server logs only the ones it answers itself (unknown paths, wrong methods on /healthz).
 */
export async function startNodeServer(
  handler: ProxyHandler,
  listen: { host: string; port: number },
  log: (entry: ProxyLogEntry) => void,
): Promise<RunningServer> {
  const server = createAdaptorServer({
    fetch: (request, env) => {
      const path = new URL(request.url).pathname;
      const isHealthRead = path === HEALTH_PATH && ['GET', 'HEAD', 'OPTIONS'].includes(request.method);
      if (path === CHAT_PATH || isHealthRead) return handler(request, { ip: env.incoming.socket.remoteAddress });
      const startedAt = Date.now();
      const notHere = path === HEALTH_PATH
        ? jsonError(405, 'method_not_allowed', 'Use GET for /healthz.', { Allow: 'GET, HEAD' })
        : jsonError(404, 'not_found', `Nothing here: the chat proxy answers POST ${CHAT_PATH}.`);
      log({ method: request.method.slice(0, 16), path: path.slice(0, 200), status: notHere.status, latencyMs: Date.now() - startedAt, code: path === HEALTH_PATH ? 'method_not_allowed' : 'not_found' });
      return notHere;
    },
  }) as Server;

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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      }),
  };
}

function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ success: false, error: { code, message } }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
