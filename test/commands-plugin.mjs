// Web-test-runner commands that work the same in all three engines, where the built-in ones do not
// (setViewport, emulateMedia and key chords have no webdriver path), used through test/helpers/commands.ts:
//   executeServerCommand('viewport', {width, height})        the page's viewport, in CSS px
//   executeServerCommand('media', {colorScheme?, reducedMotion?})  prefers-* media features
//   executeServerCommand('press', {keys: ['Shift', 'Tab']})  a chord: modifiers held around the last key
//   executeServerCommand('type', {text})                      text typed key by key
// and, for Chromium only, over its DevTools protocol:
//   executeServerCommand('emulate-forced-colors', {active})   forced colors (Windows high contrast)
//   executeServerCommand('emulate-touch', {enabled})          a touch screen: (pointer: coarse)
//   executeServerCommand('emulate-focus', {enabled})          the page acts focused even in a background
//     window (Chromium runs test files side by side), so :focus-visible matches as it does for a visitor
//   executeServerCommand('bring-to-front')                    the page's window in front of the others, so it
//     draws frames: Chromium draws none for a window behind another test file's
// Each answers {supported: false} where the engine cannot do it, so a test can say why it skips.

/** WebDriver's names for the keys puppeteer knows by name (W3C WebDriver, "keyboard actions"). */
const WEBDRIVER_KEYS = {
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Meta: '\uE03D',
  Tab: '\uE004',
  Enter: '\uE007',
  Escape: '\uE00C',
  Space: ' ',
  Backspace: '\uE003',
  ArrowUp: '\uE013',
  ArrowDown: '\uE015',
  ArrowLeft: '\uE012',
  ArrowRight: '\uE014',
  Home: '\uE011',
  End: '\uE010',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page's size once the window has stopped resizing (GTK resizes after the command returns). */
async function settledViewport(driver) {
  let last = [];
  for (let read = 0; read < 40; read++) {
    const now = await driver.execute('return [innerWidth, innerHeight]');
    if (now[0] === last[0] && now[1] === last[1]) return { width: now[0], height: now[1] };
    last = now;
    await sleep(50);
  }
  return { width: last[0], height: last[1] };
}

/**
 * Sizes WebKit's window so that its page, not the window, is `width` × `height`: MiniBrowser's
 * toolbar takes some of the window (the launcher shrinks it, scripts/webkit.mjs), measured and added back.
 */
async function webdriverViewport(driver, { width, height }) {
  let window = { width, height };
  for (let attempt = 0; attempt < 3; attempt++) {
    await driver.setWindowRect(null, null, window.width, window.height);
    const page = await settledViewport(driver);
    if (page.width === width && page.height === height) return { supported: true };
    window = { width: window.width + width - page.width, height: window.height + height - page.height };
  }
  const page = await settledViewport(driver);
  throw new Error(`WebKit's page is ${page.width}×${page.height}, not the ${width}×${height} asked for`);
}

/** The test's puppeteer page where the engine is Chromium; undefined in Firefox and WebKit. */
const chromiumPage = (session) => (/chrom/i.test(session.browser.name ?? '') ? session.browser.getPage?.(session.id) : undefined);

export function commandsPlugin() {
  // Emulation lasts as long as the DevTools session that set it: one per test page, kept open.
  const sessions = new Map();
  const cdpFor = async (session) => {
    const page = chromiumPage(session);
    if (!page?.createCDPSession) return null;
    if (!sessions.has(session.id)) sessions.set(session.id, await page.createCDPSession());
    return sessions.get(session.id);
  };
  return {
    name: 'thinnest-engine-commands',
    async executeCommand({ command, payload, session }) {
      const { type } = session.browser;
      if (command === 'viewport') {
        if (type === 'webdriver') return webdriverViewport(session.browser.driver, payload);
        const page = session.browser.getPage(session.id);
        await page.setViewport(payload);
        // Chromium runs test files side by side, each page in a window of its own: the page whose screen just
        // changed is brought to the front, so it draws the frames in which media query lists report the change.
        await chromiumPage(session)?.bringToFront();
        return { supported: true };
      }
      if (command === 'media') {
        // WebDriver has no media emulation (WebKitGTK takes these from GTK settings, fixed for the run),
        // nor has puppeteer's WebDriver BiDi session with Firefox.
        if (type === 'webdriver' || /firefox/i.test(session.browser.name)) return { supported: false };
        const features = Object.entries({ 'prefers-color-scheme': payload.colorScheme, 'prefers-reduced-motion': payload.reducedMotion })
          .filter(([, value]) => value !== undefined)
          .map(([name, value]) => ({ name, value }));
        await session.browser.getPage(session.id).emulateMediaFeatures(features);
        return { supported: true };
      }
      if (command === 'type') {
        if (type === 'webdriver') {
          // Each character pressed and released in turn: WebdriverIO's keys() holds all of them down
          // first, so WebKit never saw the second of two equal letters, nor a space.
          const actions = [...payload.text].flatMap((value) => [
            { type: 'keyDown', value },
            { type: 'keyUp', value },
          ]);
          await session.browser.driver.performActions([{ type: 'key', id: 'keyboard', actions }]);
          await session.browser.driver.releaseActions();
          return { supported: true };
        }
        await session.browser.getPage(session.id).keyboard.type(payload.text);
        return { supported: true };
      }
      if (command === 'press') {
        const keys = [...payload.keys];
        if (type === 'webdriver') {
          const codes = keys.map((key) => WEBDRIVER_KEYS[key] ?? key);
          const actions = [...codes.map((value) => ({ type: 'keyDown', value })), ...codes.reverse().map((value) => ({ type: 'keyUp', value }))];
          await session.browser.driver.performActions([{ type: 'key', id: 'keyboard', actions }]);
          await session.browser.driver.releaseActions();
          return { supported: true };
        }
        const { keyboard } = session.browser.getPage(session.id);
        const last = keys.pop();
        for (const modifier of keys) await keyboard.down(modifier);
        try {
          await keyboard.press(last);
        } finally {
          for (const modifier of keys.reverse()) await keyboard.up(modifier);
        }
        return { supported: true };
      }
      if (command === 'emulate-forced-colors') {
        const cdp = await cdpFor(session);
        if (!cdp) return { supported: false };
        await cdp.send('Emulation.setEmulatedMedia', {
          features: [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }],
        });
        return { supported: true };
      }
      if (command === 'emulate-touch') {
        const cdp = await cdpFor(session);
        if (!cdp) return { supported: false };
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: Boolean(payload?.enabled), maxTouchPoints: 5 });
        return { supported: true };
      }
      if (command === 'bring-to-front') {
        const page = chromiumPage(session);
        if (!page) return { supported: false };
        await page.bringToFront();
        return { supported: true };
      }
      if (command === 'emulate-focus') {
        const cdp = await cdpFor(session);
        if (!cdp) return { supported: false };
        await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: Boolean(payload?.enabled) });
        return { supported: true };
      }
      return undefined;
    },
  };
}
