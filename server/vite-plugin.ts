// `npm start`: mounts the proxy at /api/chat and /healthz inside the Vite dev (and preview) server,
// with the mock agent unless THINNEST_API_KEY and THINNEST_AGENT_ID are set (environment or .env).
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadEnv, type Connect, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import { handlerFromEnv } from './handler-from-env.js';
import { formatLogLine } from './node-server.js';
import type { ProxyHandler } from './proxy.js';

export interface ThinnestProxyPluginOptions {
  /** Where chat POSTs go. Default `/api/chat`. */
  path?: string;
  /** Use the mock agent even when a key is set. */
  forceMock?: boolean;
}

/** The Vite plugin that serves the proxy in the dev server's own process. */
export function thinnestProxyPlugin(pluginOptions: ThinnestProxyPluginOptions = {}): Plugin {
  const chatPath = pluginOptions.path ?? '/api/chat';

  const mount = (server: ViteDevServer | PreviewServer) => {
    const envDir = typeof server.config.envDir === 'string' ? server.config.envDir : server.config.root;
    const env = loadEnv(server.config.mode, envDir, ''); // '' prefix: all of .env and process.env, not only VITE_*
    // One designer on loopback reloading a gallery of eight widgets is not abuse: a roomier default limit.
    env.RATE_LIMIT_PER_MINUTE ??= '600';
    const { logger } = server.config;
    const built = handlerFromEnv(env, pluginOptions.forceMock ? 'mock' : 'auto', (entry) => logger.info(`[thinnest-chat] ${formatLogLine(entry)}`));
    if (!built.ok) {
      logger.error(`[thinnest-chat] proxy not mounted: ${built.problem}`);
      return;
    }
    logger.info(`[thinnest-chat] proxy at ${chatPath} → ${built.description}`);
    server.middlewares.use(nodeMiddleware(built.handler, chatPath));
  };

  return {
    name: 'thinnest-chat-proxy',
    configureServer: mount,
    configurePreviewServer: mount,
  };
}

/** Bridges Node req/res to the fetch handler for the chat path and /healthz; everything else goes on to Vite. */
function nodeMiddleware(handler: ProxyHandler, chatPath: string): Connect.NextHandleFunction {
  const listener = getRequestListener((request, env) => handler(request, { ip: env.incoming.socket.remoteAddress }));
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== chatPath && pathname !== '/healthz') return next();
    void listener(req, res);
  };
}
