// WebKit, Safari's engine, for the browser tests: WebKitGTK's MiniBrowser driven over W3C WebDriver
// by WebKitWebDriver (Debian: apt-get install webkit2gtk-driver xvfb), through web-test-runner's own
// webdriver launcher. MiniBrowser needs an X display: the launcher starts a private Xvfb for the run
// (so no window opens on a developer's screen) and stops it, and the driver, when the run ends.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebdriverLauncher } from '@web/test-runner-webdriver';

const DRIVER_CANDIDATES = ['/usr/bin/WebKitWebDriver', '/usr/local/bin/WebKitWebDriver'];
const BROWSER_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
  '/usr/libexec/webkit2gtk-4.0/MiniBrowser',
];
const XVFB_CANDIDATES = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'];

export const WEBKIT_MISSING =
  'WebKit skipped: no WebKitWebDriver, MiniBrowser and Xvfb here (Debian/Ubuntu: apt-get install webkit2gtk-driver xvfb).';

/**
 * What the WebKit run needs, or undefined when something is missing. WEBKIT_DRIVER_PATH and
 * WEBKIT_BROWSER_PATH override where the driver and MiniBrowser are looked for.
 */
export function findWebKit() {
  const pick = (name, candidates) => (process.env[name] ? [process.env[name]] : candidates).find((path) => existsSync(path));
  const driver = pick('WEBKIT_DRIVER_PATH', DRIVER_CANDIDATES);
  const browser = pick('WEBKIT_BROWSER_PATH', BROWSER_CANDIDATES);
  const xvfb = XVFB_CANDIDATES.find((path) => existsSync(path));
  // Without Xvfb, a display the developer already has will do.
  if (!driver || !browser || (!xvfb && !process.env.DISPLAY)) return undefined;
  return { driver, browser, xvfb };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts Xvfb on the first free display number (it picks it and writes it to fd 3). */
function startXvfb(path) {
  const child = spawn(path, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before giving a display: ${stderr.trim()}`)));
    child.stdio[3].once('data', (data) => resolve({ child, display: `:${String(data).trim()}` }));
  });
}

/**
 * A GTK configuration of the run's own that shrinks MiniBrowser's toolbar to almost nothing, so its
 * window can be as narrow as a phone (its toolbar otherwise keeps it at least ~450 px wide) and the
 * page gets nearly all of the window. It styles the browser's own widgets only, never a page.
 */
function gtkConfig() {
  const home = mkdtempSync(join(tmpdir(), 'thinnest-chat-webkit-'));
  mkdirSync(join(home, 'gtk-3.0'));
  writeFileSync(
    join(home, 'gtk-3.0', 'gtk.css'),
    '* { font-size: 1px; padding: 0; margin: 0; min-width: 0; min-height: 0; border-width: 0; -gtk-icon-transform: scale(0.01); }\n',
  );
  return home;
}

/** Waits until the driver answers its status endpoint. */
async function driverReady(port, child) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}) on start`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not answer within 15 s');
}

/**
 * One MiniBrowser window that runs the test files one after the other: the webdriver launcher runs
 * files in iframes of one page when it may run several at once, and focus, viewport and storage
 * events would then be an iframe's, not a page's.
 */
class WebKitLauncher extends WebdriverLauncher {
  constructor({ driver, browser, xvfb }) {
    super({
      hostname: '127.0.0.1',
      port: 0,
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        // WebKitWebDriver speaks classic WebDriver; WebdriverIO would otherwise ask for BiDi and be refused.
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] },
      },
    });
    this.paths = { driver, xvfb };
    this.concurrency = 1;
    this.children = [];
  }

  async initialize(config, testFiles) {
    await super.initialize({ ...config, concurrency: 1 }, testFiles);
    this.name = 'WebKit';
    let display = process.env.DISPLAY;
    if (this.paths.xvfb) {
      const xvfb = await startXvfb(this.paths.xvfb);
      this.children.push(xvfb.child);
      display = xvfb.display;
    }
    this.configHome = gtkConfig();
    const port = await freePort();
    const driver = spawn(this.paths.driver, [`--port=${port}`, '--host=local'], {
      stdio: 'ignore',
      env: { ...process.env, DISPLAY: display, XDG_CONFIG_HOME: this.configHome },
    });
    this.children.push(driver);
    this.options.port = port;
    await driverReady(port, driver);
  }

  async stop() {
    await super.stop();
    for (const child of this.children.reverse()) child.kill();
    this.children = [];
    if (this.configHome) rmSync(this.configHome, { recursive: true, force: true });
  }
}

export function webkitLauncher(found) {
  return new WebKitLauncher(found);
}
