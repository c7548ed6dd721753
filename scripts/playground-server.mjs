// Starts the playground exactly as `npm start` does (Vite + the proxy plugin, mock agent) on a
// free loopback port, and Chromium from the system: for the playground test and screenshots.
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, CHROME_MISSING, findChrome } from './browsers.mjs';

export async function startPlayground() {
  const server = await createServer({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    logLevel: 'silent',
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false },
  });
  await server.listen();
  const address = server.httpServer.address();
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export async function launchChrome(extraArgs = []) {
  const executablePath = findChrome();
  if (!executablePath) throw new Error(CHROME_MISSING);
  return chromium.launch({ executablePath, args: [...CHROME_ARGS.filter((arg) => !arg.startsWith('--headless')), ...extraArgs] });
}
