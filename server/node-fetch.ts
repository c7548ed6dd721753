// A small `fetch(url, init)` on node:http(s) with keep-alive, for the Node CLI and the Vite plugin.
// Node 20's global fetch (undici) costs about twice the CPU per proxied request; on a 2-core box
// at 500 requests/s that is the difference between idle and queueing. Web runtimes keep their own fetch.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { UpstreamFetch } from './upstream.js';

/** Answers larger than this are abandoned (the proxy itself accepts at most 1 MiB). */
const MAX_RESPONSE_BYTES = 2 * 1_048_576;
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export interface NodeFetchOptions {
  /** Sockets kept per upstream host. Default 256. */
  maxSockets?: number;
}

/** Creates a fetch for the proxy: POST/GET with a string body, no redirects followed, abortable. */
export function createNodeFetch(options: NodeFetchOptions = {}): UpstreamFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);

  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return reject(new TypeError(`unsupported protocol ${target.protocol}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(new DOMException('The operation was aborted.', 'AbortError'));

      const send = secure ? httpsRequest : httpRequest;
      const attempt = (retried: boolean) => {
        let answered = false;
        const sentAt = Date.now();
        const agent = retried ? false : secure ? httpsAgent : httpAgent; // the resend: a connection of its own
        const outgoing = send(
          target,
          { method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers)), agent, signal },
          (incoming) => {
            answered = true;
            collect(incoming, resolve, reject);
          },
        );
        outgoing.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the upstream closed as idle just as this request went out: the reset comes back
          // within a round trip, before the agent could have read it, and the request goes once more on a
          // connection of its own. A reset later than that may follow a request the agent read and began to
          // answer: it stands, as does every other failure, so the agent never gets one message twice.
          const idleRace = outgoing.reusedSocket && RESET_CODES.has(error.code ?? '') && Date.now() - sentAt < IDLE_RACE_MS;
          if (!retried && !answered && idleRace && !signal?.aborted) attempt(true);
          else reject(error);
        });
        outgoing.end(typeof init.body === 'string' ? init.body : undefined);
      };
      attempt(false);
    });
}

/** How a socket closed by the other side shows when a request is written to it. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);
/** How soon after sending a reset counts as the idle-close race: a round trip, with room for a distant agent. */
const IDLE_RACE_MS = 250;

/** Counts raw bytes as they arrive and inflates nothing (it asks for no encoding), so a gzip answer is never JSON here: a 502. */
function collect(incoming: IncomingMessage, resolve: (response: Response) => void, reject: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  incoming.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      incoming.destroy(new Error('upstream answer too large'));
      return;
    }
    chunks.push(chunk);
  });
  incoming.on('error', reject);
  incoming.on('close', () => {
    if (!incoming.complete) reject(new Error('connection closed before the answer was complete'));
  });
  incoming.on('end', () => {
    const status = incoming.statusCode ?? 0;
    // fetch cannot represent one (a Response refuses it, or, as @hono/node-server's, throws later when read): not the API's answer.
    if (status < 200 || status > 599) return reject(new Error(`upstream answered ${status}, outside 200–599`));
    try {
      const headers = new Headers();
      for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
      resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks, size), { status, headers }));
    } catch (error) {
      reject(error as Error); // a header fetch would refuse
    }
  });
}
