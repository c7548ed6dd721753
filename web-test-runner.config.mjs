// Browser tests: the real element in real browsers of all three engines (Chromium headless, Firefox
// ESR headless, WebKit under a private Xvfb), against the real HTTP fake of the proxy in
// test/fake-proxy.mjs. TEST_ENGINES=chromium,webkit narrows the run; a missing Firefox or WebKit is
// said in one line and skipped on a developer's machine, and fails the run under CI.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { fakeProxy } from './test/fake-proxy.mjs';
import { cspPages } from './test/csp-pages.mjs';
import { commandsPlugin } from './test/commands-plugin.mjs';
import { CHROME_ARGS, CHROME_MISSING, FIREFOX_MISSING, findChrome, findFirefox } from './scripts/browsers.mjs';
import { WEBKIT_MISSING, findWebKit, webkitLauncher } from './scripts/webkit.mjs';

const engines = new Set((process.env.TEST_ENGINES ?? 'chromium,firefox,webkit').split(',').map((name) => name.trim()));
if (process.env.TEST_FIREFOX === '0') engines.delete('firefox');
/** A missing engine is said once; CI has all three, so there it ends the run. */
function missing(message) {
  console.error(message);
  if (process.env.CI) process.exit(1);
}

const chromePath = engines.has('chromium') ? findChrome() : undefined;
if (engines.has('chromium') && !chromePath) {
  console.error(CHROME_MISSING);
  process.exit(1);
}
const firefoxPath = engines.has('firefox') ? findFirefox() : undefined;
if (engines.has('firefox') && !firefoxPath) missing(FIREFOX_MISSING);
const webkit = engines.has('webkit') ? findWebKit() : undefined;
if (engines.has('webkit') && !webkit) missing(WEBKIT_MISSING);

// Test files run side by side. Each Chromium page gets its own browser context (its own window),
// so none is a background tab whose timers would be slowed; still only one window has focus and
// draws frames at a time: a test that needs either says so (the emulate-focus and bring-to-front
// commands, test/commands-plugin.mjs). Firefox gives focus to one window only, so its files run
// one at a time.
const browsers = [];
if (chromePath) {
  browsers.push(chromeLauncher({
    launchOptions: {
      executablePath: chromePath,
      headless: true,
      args: [...CHROME_ARGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
    },
    createBrowserContext: ({ browser }) => browser.createBrowserContext(),
  }));
}
if (firefoxPath) {
  browsers.push(
    puppeteerLauncher({
      launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true },
      concurrency: 1,
    }),
  );
}
if (webkit) browsers.push(webkitLauncher(webkit));
if (browsers.length === 0) {
  console.error(`TEST_ENGINES names no engine this run can start (${[...engines].join(', ')}): use chromium, firefox or webkit.`);
  process.exit(1);
}

/**
 * Ends the run with a line per engine, `Chromium: N passed, N failed, N skipped`, then the plain
 * total CI reads, `browser: N passed, N failed, N skipped`.
 */
function summaryLine() {
  const count = (suite, totals) => {
    for (const test of suite?.tests ?? []) {
      if (test.skipped) totals.skipped++;
      else if (test.passed) totals.passed++;
      else totals.failed++;
    }
    for (const child of suite?.suites ?? []) count(child, totals);
    return totals;
  };
  const format = (totals) => `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
  let lines = [];
  return {
    onTestRunFinished({ sessions }) {
      const all = { passed: 0, failed: 0, skipped: 0 };
      const byEngine = new Map();
      for (const session of sessions) {
        const name = session.browser.name;
        if (!byEngine.has(name)) byEngine.set(name, { passed: 0, failed: 0, skipped: 0 });
        const totals = byEngine.get(name);
        count(session.testResults, totals);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) totals.failed++;
      }
      for (const totals of byEngine.values()) for (const key of Object.keys(all)) all[key] += totals[key];
      lines = [...[...byEngine].map(([name, totals]) => `  ${name}: ${format(totals)}`), `browser: ${format(all)}`];
    },
    // Printed as the process exits, after the dynamic progress display is gone, on lines of their own.
    start() {
      process.once('exit', () => {
        if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
      });
    },
  };
}

export default {
  reporters: [defaultReporter(), summaryLine()],
  files: ['test/**/*.test.ts', '!test/unit/**', '!test/server/**', '!test/node/**'],
  nodeResolve: true,
  rootDir: '.',
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), commandsPlugin()],
  middleware: [cspPages(), fakeProxy()],
  browsers,
  concurrency: 2,
  // Lit's one-line dev-mode notice would otherwise head every file's output.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: { config: { timeout: 15000 } },
  testsFinishTimeout: 600000,
};
