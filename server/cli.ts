#!/usr/bin/env node
// thinnest-chat-proxy: the Node CLI around createProxy (SPEC §5). `main` is importable for tests;
// the process only starts a server when this file is executed directly.
import { appendFileSync, chmodSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { announceKey, createAgentKey, dotEnvDefines, envAppendix } from './create-key.js';
import { wholeNumber, type Env } from './env-options.js';
import { handlerFromEnv } from './handler-from-env.js';
import { CHAT_PATH, FEEDBACK_PATH, SHUTDOWN_GRACE_MS, formatJsonLine, formatLogLine, startNodeServer, type RunningServer } from './node-server.js';
import { DEFAULT_API_BASE, type ProxyLogEntry } from './proxy.js';

export const USAGE = `Usage:
  thinnest-chat-proxy [--mock] [--port N] [--host H]
      Serves POST ${CHAT_PATH}, POST ${FEEDBACK_PATH} and GET /healthz, forwarding chat messages to your
      thinnest.ai agent and feedback on replies to your webhook (or the log).
      --mock      serve the built-in demo agent instead of the real API (no key needed)
      --port, --host   override PORT / HOST (default 8787 on 127.0.0.1)

  thinnest-chat-proxy create-key --name NAME [--append-env]
      Creates an Agent API key for THINNEST_AGENT_ID using the account token THINNESTAI_TOKEN,
      prints it once, and with --append-env adds THINNEST_API_KEY=… to ./.env (refusing, before creating
      a key, if ./.env already sets one).

Environment (also read from ./.env):
  THINNEST_API_KEY, THINNEST_AGENT_ID   required unless --mock
  THINNEST_API_BASE      default ${DEFAULT_API_BASE}
  ALLOWED_ORIGINS        comma list of origins allowed to call from a browser; default same-origin only
  PORT, HOST             default 8787, 127.0.0.1; on loopback, only requests addressed to localhost,
                         *.localhost, 127.x.x.x or [::1] are answered (unless TRUST_PROXY: your reverse proxy checks Host)
  MAX_BODY_BYTES         default 16384 (then 413)
  MAX_MESSAGE_CHARS      default 4000 (then 400)
  UPSTREAM_TIMEOUT_MS    default 60000 (then 504)
  BODY_TIMEOUT_MS        default 10000: a request body still arriving then gets 408
  RATE_LIMIT_PER_MINUTE  default 30 per client IP, per /64 for IPv6 (then 429); 0 turns it off
  TRUST_PROXY            true or a number of reverse proxies whose X-Forwarded-For to trust; default off
  REDIS_URL              redis://…: one rate limit and spend cap shared by every instance; default per instance
  DAILY_MESSAGE_LIMIT    messages forwarded per UTC day, then 429 daily_limit; default none
  METRICS, METRICS_TOKEN METRICS=1 serves GET /metrics (Prometheus), for the bearer METRICS_TOKEN if set
  LOG_FORMAT             text (default) or json: one JSON line per request, and every other line JSON too
  FEEDBACK_WEBHOOK_URL, FEEDBACK_WEBHOOK_SECRET
                         POST feedback on replies there, signed (X-Thinnest-Signature: sha256=HMAC of the
                         body); both or neither. Default: one JSON line per feedback on stdout
  FEEDBACK_WEBHOOK_TIMEOUT_MS  default 5000: a webhook that has not answered is given up on (one warning)
  PAGE_CONTEXT           1: forward the page a visitor writes from (the widget's page-context) before the message
  MOCK_DELAY_MS          the mock agent's delay, default 400
`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Where .env is read (and appended by create-key). */
  cwd: string;
  /** The fetch create-key uses; the global one by default. */
  fetch?: typeof fetch;
}

/**
 * Either the process should exit with this code, or a server is running: `stop` is the graceful shutdown
 * (one line when it begins, one when it is done), for SIGTERM and SIGINT.
 */
export type CliResult = { exitCode: number } | { exitCode?: undefined; server: RunningServer; stop(signal: string): Promise<void> };

const defaultIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  cwd: process.cwd(),
};

/** Runs the CLI with explicit arguments and environment; `.env` in io.cwd fills what env leaves unset. */
export async function main(argv: readonly string[], env: Env = process.env, io: CliIo = defaultIo): Promise<CliResult> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    io.err(`${parsed.message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (parsed.help) {
    io.out(USAGE);
    return { exitCode: 0 };
  }
  const fullEnv = withDotEnv(env, io.cwd);
  if (!fullEnv.ok) {
    io.err(fullEnv.message);
    return { exitCode: 1 };
  }
  return parsed.command === 'create-key'
    ? createKeyCommand(parsed, fullEnv.env, io)
    : serveCommand(parsed, fullEnv.env, io);
}

type CommandLine =
  | { ok: true; help: boolean; command: 'serve' | 'create-key'; mock: boolean; port?: string; host?: string; name?: string; appendEnv: boolean }
  | { ok: false; message: string };

function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        mock: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        name: { type: 'string' },
        'append-env': { type: 'boolean' },
      },
    });
    const [command = 'serve', ...rest] = positionals;
    if ((command !== 'serve' && command !== 'create-key') || rest.length > 0) {
      return { ok: false, message: `Unknown command: ${positionals.join(' ')}` };
    }
    return {
      ok: true,
      help: values.help === true,
      command,
      mock: values.mock === true,
      port: values.port,
      host: values.host,
      name: values.name,
      appendEnv: values['append-env'] === true,
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The environment wins over .env, as with process.loadEnvFile; parsed rather than loaded so process.env stays untouched. */
function withDotEnv(env: Env, cwd: string): { ok: true; env: Env } | { ok: false; message: string } {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return { ok: true, env };
  try {
    return { ok: true, env: { ...parseEnv(readFileSync(path, 'utf8')), ...definedOnly(env) } };
  } catch (error) {
    return { ok: false, message: `Could not read .env: ${(error as Error).message}` };
  }
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

async function serveCommand(commandLine: Extract<CommandLine, { ok: true }>, env: Env, io: CliIo): Promise<CliResult> {
  const logFormat = env.LOG_FORMAT?.trim().toLowerCase() || 'text';
  if (logFormat !== 'text' && logFormat !== 'json') {
    io.err('thinnest-chat-proxy: LOG_FORMAT must be text or json.');
    return { exitCode: 1 };
  }
  const jsonLine = (level: 'info' | 'warn' | 'error', message: string, extra: Record<string, string> = {}) =>
    JSON.stringify({ time: new Date().toISOString(), level, message, ...extra });
  // Why it cannot start, on stderr; with LOG_FORMAT=json one JSON line, so a log pipeline reads it too.
  const fatal = (message: string): CliResult => {
    io.err(logFormat === 'json' ? jsonLine('error', message) : message);
    return { exitCode: 1 };
  };

  // An empty PORT= line means the default, not port 0 (an empty --port is refused).
  const port = wholeNumber(commandLine.port ?? (env.PORT?.trim() || '8787'));
  const host = commandLine.host ?? (env.HOST?.trim() || '127.0.0.1');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fatal('thinnest-chat-proxy: PORT must be a whole number from 0 to 65535.');

  // The handler redacts its own entries; the server's (an unknown path is whatever the client sent) are redacted here.
  const key = commandLine.mock ? undefined : env.THINNEST_API_KEY?.trim();
  const format = logFormat === 'json' ? formatJsonLine : formatLogLine;
  const log = (entry: ProxyLogEntry) => io.out(format(entry, new Date(), key));
  const warn = (message: string) => io.err(logFormat === 'json' ? jsonLine('warn', message) : `${new Date().toISOString()} warning: ${message}`);
  // The CLI's own lines (listening, shutting down, stopped): with LOG_FORMAT=json, JSON like every other stdout line.
  const notice = (message: string, extra?: Record<string, string>) => io.out(logFormat === 'json' ? jsonLine('info', message, extra) : message);
  // A feedback line is JSON in both formats: a record to collect, not a request summary.
  const built = handlerFromEnv(env, commandLine.mock ? 'mock' : 'real', log, { chatPath: CHAT_PATH, warn, feedbackLog: (line) => io.out(line) });
  if (!built.ok) return fatal(built.problem);
  const { handler } = built;
  let server: RunningServer;
  try {
    await handler.ready();
    // The server's own answers (its Host check, what is not HTTP) are counted as the handler counts its own.
    const serverLog = (entry: ProxyLogEntry) => {
      built.metrics?.observe(entry);
      log(entry);
    };
    server = await startNodeServer(handler, { host, port, behindProxy: built.trustProxy }, serverLog);
  } catch (error) {
    await handler.close();
    return fatal(`thinnest-chat-proxy: could not start: ${(error as Error).message}`);
  }
  notice(`thinnest-chat-proxy listening on ${server.url}${CHAT_PATH} → ${built.description}`, { url: `${server.url}${CHAT_PATH}` });
  const close = (graceMs?: number) => server.close(graceMs).then(() => handler.close());
  const stop = async (signal: string) => {
    notice(`thinnest-chat-proxy shutting down on ${signal}: no new connections; requests in flight have up to ${SHUTDOWN_GRACE_MS / 1000} s to finish, then a message still waiting for the agent is answered 503`);
    await close(SHUTDOWN_GRACE_MS);
    notice('thinnest-chat-proxy stopped');
  };
  return { server: { url: server.url, close }, stop };
}

async function createKeyCommand(commandLine: Extract<CommandLine, { ok: true }>, env: Env, io: CliIo): Promise<CliResult> {
  const name = commandLine.name?.trim();
  const accountToken = env.THINNESTAI_TOKEN?.trim();
  const agentId = env.THINNEST_AGENT_ID?.trim();
  const missing = [!name && '--name NAME', !accountToken && 'THINNESTAI_TOKEN (your account token)', !agentId && 'THINNEST_AGENT_ID'].filter(Boolean);
  if (!name || !accountToken || !agentId) {
    io.err(`create-key needs ${missing.join(', ')}. Example: THINNESTAI_TOKEN=… THINNEST_AGENT_ID=… thinnest-chat-proxy create-key --name my-site`);
    return { exitCode: 1 };
  }
  // Checked before the key is made: made and then not written, it would be an orphan in the account.
  const dotEnv = join(io.cwd, '.env');
  if (commandLine.appendEnv && existsSync(dotEnv) && dotEnvDefines(readFileSync(dotEnv, 'utf8'), 'THINNEST_API_KEY')) {
    io.err('create-key: .env already sets THINNEST_API_KEY, so --append-env would not write a new key; no key was created. Remove that line first, or run without --append-env and put the new key in place by hand.');
    return { exitCode: 1 };
  }
  const created = await createAgentKey({ name, accountToken, agentId, apiBase: env.THINNEST_API_BASE?.trim() || undefined, fetch: io.fetch });
  if (!created.ok) {
    io.err(`create-key: ${created.message}`);
    return { exitCode: 1 };
  }
  for (const line of announceKey(name, created.key)) io.out(line);
  if (commandLine.appendEnv) appendToDotEnv(dotEnv, created.key, agentId, io);
  return { exitCode: 0 };
}

function appendToDotEnv(path: string, key: string, agentId: string, io: CliIo): void {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const appendix = envAppendix(existing, key, agentId);
  if (appendix === undefined) {
    io.err('.env already sets THINNEST_API_KEY; left it unchanged. Replace the value by hand to use the new key.');
    return;
  }
  try {
    appendFileSync(path, appendix, { mode: 0o600 });
    chmodSync(path, 0o600); // it now holds a secret
    io.out('Added THINNEST_API_KEY to .env.');
  } catch (error) {
    io.err(`Could not write .env: ${(error as Error).message}`);
  }
}

function isExecutedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isExecutedDirectly()) {
  const result = await main(process.argv.slice(2));
  if (result.exitCode !== undefined) {
    process.exitCode = result.exitCode;
  } else {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1); // a second signal (Ctrl-C twice) does not wait for the deadline
      stopping = true;
      void result.stop(signal).then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}
