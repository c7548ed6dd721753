// Browser tests: the real element in real headless Chromium (and Firefox when present),
// against the real HTTP fake of the proxy in test/fake-proxy.mjs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { fakeProxy } from './test/fake-proxy.mjs';
import { cspPages } from './test/csp-pages.mjs';
import { mediaPlugin } from './test/media-plugin.mjs';
import { CHROME_ARGS, CHROME_MISSING, findChrome, findFirefox } from './scripts/browsers.mjs';

const chromePath = findChrome();
if (!chromePath) {
  console.error(CHROME_MISSING);
  process.exit(1);
}
const firefoxPath = process.env.TEST_FIREFOX === '0' ? undefined : findFirefox();

// Test files run side by side. Each Chromium page gets its own browser context (its own window),
// so none is a background tab whose requestAnimationFrame and focus would stall. Firefox gives
// focus to one window only, so its files run one at a time.
const browsers = [
  chromeLauncher({
    launchOptions: {
      executablePath: chromePath,
      headless: true,
      args: [...CHROME_ARGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
    },
    createBrowserContext: ({ browser }) => browser.createBrowserContext(),
  }),
];
if (firefoxPath) {
  browsers.push(
    puppeteerLauncher({
      launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true },
      concurrency: 1,
    }),
  );
}

/** Ends the run with one plain line, `browser: N passed, N failed, N skipped`, that CI can read. */
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
  let line = '';
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) totals.failed++;
      }
      line = `browser: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
    },
    // Printed as the process exits, after the dynamic progress display is gone, on its own line.
    start() {
      process.once('exit', () => {
        if (line) process.stdout.write(`${line}\n`);
      });
    },
  };
}

export default {
  reporters: [defaultReporter(), summaryLine()],
  files: ['test/**/*.test.ts', '!test/server/**', '!test/node/**'],
  nodeResolve: true,
  rootDir: '.',
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), mediaPlugin()],
  middleware: [cspPages(), fakeProxy()],
  browsers,
  concurrency: 2,
  // Lit's one-line dev-mode notice would otherwise head every file's output.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: { config: { timeout: 15000 } },
  testsFinishTimeout: 600000,
};
