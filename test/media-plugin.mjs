// Web-test-runner commands the built-in emulateMedia and setViewport lack for Chromium through
// puppeteer, sent over its DevTools protocol:
//   executeServerCommand('emulate-forced-colors', {active})   forced colors (Windows high contrast)
//   executeServerCommand('emulate-touch', {enabled})          a touch screen: (pointer: coarse)
//   executeServerCommand('emulate-focus', {enabled})          the page acts focused even in a background
//     window (Chromium runs test files side by side), so :focus-visible matches as it does for a visitor
// Each answers {supported: false} where the browser has no DevTools protocol (Firefox), so a test
// can say why it skips.
export function mediaPlugin() {
  // Emulation lasts as long as the DevTools session that set it: one per test page, kept open.
  const sessions = new Map();
  const cdpFor = async (session) => {
    const page = session.browser.getPage?.(session.id);
    if (!page?.createCDPSession || !/chrom/i.test(session.browser.name ?? '')) return null;
    if (!sessions.has(session.id)) sessions.set(session.id, await page.createCDPSession());
    return sessions.get(session.id);
  };
  return {
    name: 'thinnest-media-emulation',
    async executeCommand({ command, payload, session }) {
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
