// `npm start`: mounts the proxy at /api/chat, /api/feedback and /healthz inside the Vite dev (and preview) server,
// with the mock agent unless THINNEST_API_KEY and THINNEST_AGENT_ID are set (environment or .env);
// the mock agent also answers at /api/mock-chat always, for the gallery's staged states.
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadEnv, type Connect, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import { handlerFromEnv } from './handler-from-env.js';
import { formatLogLine } from './node-server.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, feedbackPathBeside, type ProxyHandler, type ProxyLogEntry } from './proxy.js';

export interface ThinnestProxyPluginOptions {
  /** Where chat POSTs go. Default `/api/chat`. */
  path?: string;
  /** Where feedback on replies is POSTed. Default beside `path`: `/api/feedback`. */
  feedbackPath?: string;
  /** Use the mock agent even when a key is set. */
  forceMock?: boolean;
  /**
   * Where the mock agent answers whatever the key: the gallery stages its states (`/hang`, `/error 500`) there,
   * so reloading it never spends a real agent's quota. Default `/api/mock-chat`.
   */
  mockPath?: string;
}

/** The Vite plugin that serves the proxy in the dev server's own process. */
export function thinnestProxyPlugin(pluginOptions: ThinnestProxyPluginOptions = {}): Plugin {
  const chatPath = pluginOptions.path ?? '/api/chat';
  const mockPath = pluginOptions.mockPath ?? '/api/mock-chat';
  const feedbackPath = pluginOptions.feedbackPath ?? feedbackPathBeside(chatPath);

  const mount = (server: ViteDevServer | PreviewServer) => {
    const envDir = typeof server.config.envDir === 'string' ? server.config.envDir : server.config.root;
    const env = loadEnv(server.config.mode, envDir, ''); // '' prefix: all of .env and process.env, not only VITE_*
    // One designer on loopback reloading a gallery of eight widgets is not abuse: a roomier default limit, said at startup.
    const limitSet = env.RATE_LIMIT_PER_MINUTE !== undefined;
    env.RATE_LIMIT_PER_MINUTE ??= '600';
    const perMinute = env.RATE_LIMIT_PER_MINUTE.trim() || String(DEFAULT_RATE_LIMIT_PER_MINUTE); // set but empty: the proxy's own default
    const limit = perMinute === '0'
      ? 'no rate limit (RATE_LIMIT_PER_MINUTE=0)'
      : `${perMinute} requests per client per minute (${limitSet ? 'RATE_LIMIT_PER_MINUTE' : "npm start's default; RATE_LIMIT_PER_MINUTE sets it"})`;
    const { logger } = server.config;
    const log = (entry: ProxyLogEntry) => logger.info(`[thinnest-chat] ${formatLogLine(entry)}`);
    const refuse = (problem: string) => logger.error(`[thinnest-chat] proxy not mounted: ${problem}`);
    const serverOptions = {
      feedbackPath,
      feedbackLog: (line: string) => logger.info(`[thinnest-chat] ${line}`),
      warn: (message: string) => logger.warn(`[thinnest-chat] ${message}`),
    };
    const built = handlerFromEnv(env, pluginOptions.forceMock ? 'mock' : 'auto', log, serverOptions);
    if (!built.ok) return refuse(built.problem);
    const mock = built.mock ? built : handlerFromEnv(env, 'mock', log, serverOptions);
    if (!mock.ok) return refuse(mock.problem);
    logger.info(`[thinnest-chat] proxy at ${chatPath} → ${built.description}; feedback at ${feedbackPath}; ${limit}`);
    server.middlewares.use(nodeMiddleware({ [chatPath]: built.handler, [feedbackPath]: built.handler, [mockPath]: mock.handler, '/healthz': built.handler }));
  };

  return {
    name: 'thinnest-chat-proxy',
    configureServer: mount,
    configurePreviewServer: mount,
  };
}

/** Bridges Node req/res to the fetch handler of each mounted path; everything else goes on to Vite. */
function nodeMiddleware(handlers: Record<string, ProxyHandler>): Connect.NextHandleFunction {
  const listeners = new Map(
    Object.entries(handlers).map(([path, handler]) => [path, getRequestListener((request, env) => handler(request, { ip: env.incoming.socket.remoteAddress }))]),
  );
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
    const listener = listeners.get((req.url ?? '/').split('?')[0]!);
    if (!listener) return next();
    void listener(req, res);
  };
}
