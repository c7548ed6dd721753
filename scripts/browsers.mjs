// Finds the system's browsers: tests and tools never download their own.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CHROME_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'];

function onPath(names) {
  for (const name of names) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

/** Chromium or Chrome: CHROME_PATH wins, then the usual places, then PATH. */
export function findChrome() {
  if (process.env.CHROME_PATH) return existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : undefined;
  return CHROME_CANDIDATES.find((path) => existsSync(path)) ?? onPath(['chromium', 'chromium-browser', 'google-chrome']);
}

/** Firefox when present (FIREFOX_PATH wins); tests run in it too. */
export function findFirefox() {
  if (process.env.FIREFOX_PATH) return existsSync(process.env.FIREFOX_PATH) ? process.env.FIREFOX_PATH : undefined;
  return FIREFOX_CANDIDATES.find((path) => existsSync(path));
}

export const CHROME_MISSING =
  'No Chromium or Chrome found: install one (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to its executable.';

/** Flags for a headless Chromium on a machine with a closed network. */
export const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const FIREFOX_MISSING =
  'Firefox skipped: no Firefox found (Debian: apt-get install firefox-esr; elsewhere set FIREFOX_PATH to its executable).';
