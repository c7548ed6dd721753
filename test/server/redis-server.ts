// A real redis-server for the tests of shared limits: one per test file, on a free loopback port, no
// persistence, stopped by its pid. Where it is not installed the tests say how to get it in one line and
// skip, except under CI, where that line fails the run (as the browser launcher does for a missing engine).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';

export const REDIS_MISSING = 'redis-server not found: the shared-limit tests need it (on Debian or Ubuntu: apt-get install redis-server).';

/** The path of redis-server, or undefined. */
export function findRedisServer(): string | undefined {
  for (const candidate of [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  return found || undefined;
}

/** `skip` for node:test when redis-server is missing on a developer's machine; throws under CI. */
export function redisSkipReason(): string | false {
  if (findRedisServer()) return false;
  if (process.env.CI) throw new Error(REDIS_MISSING);
  console.error(REDIS_MISSING);
  return REDIS_MISSING;
}

export interface RunningRedis {
  url: string;
  port: number;
  /** Sends one command over a fresh connection and returns the raw reply (RESP). */
  command(...args: string[]): Promise<string>;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop). */
  start(): Promise<void>;
  /** SIGSTOP: it still takes connections (the kernel does) but answers nothing, a hung Redis; `resume` undoes it, `stop` ends it either way. */
  pause(): void;
  resume(): void;
}

export async function startRedis(): Promise<RunningRedis> {
  const binary = findRedisServer();
  if (!binary) throw new Error(REDIS_MISSING);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', '--enable-debug-command', 'local'], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (!(await answers(port))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.pid === undefined) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid, 'SIGKILL'); // an outage, not a shutdown
    await exited;
  };
  const signal = (name: NodeJS.Signals) => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, name);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, command: (...args) => sendCommand(port, args), stop, start, pause: () => signal('SIGSTOP'), resume: () => signal('SIGCONT') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await sendCommand(port, ['PING'])).startsWith('+PONG');
  } catch {
    return false;
  }
}

function sendCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply));
    socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
  });
}
