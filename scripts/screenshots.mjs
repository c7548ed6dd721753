// `npm run screenshots`: renders the playground's gallery of states and the bubble in the
// system's headless Chromium, through the same stack as `npm start`, into docs/*.png.
import { mkdirSync } from 'node:fs';
import { launchChrome, startPlayground } from './playground-server.mjs';

const OUT = 'docs';
mkdirSync(OUT, { recursive: true });
const { server, url } = await startPlayground();
const browser = await launchChrome();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${url}/`);
  const ready = [
    '#state-empty [part~="suggestion"]',
    '#state-waiting .typing',
    '#state-slow .typing small',
    '#state-error [part~="retry-button"]',
    '#state-markdown table',
    '#state-dark table',
    '#state-rtl [part~="assistant-message"][data-id]',
    '#state-bubble-unread [part~="unread"]',
    '#state-bubble-teaser [part~="teaser"]',
    '#state-feedback [part~="feedback-button"][aria-pressed="true"]',
  ];
  for (const selector of ready) await page.locator(selector).first().waitFor();
  await page.locator('#gallery').screenshot({ path: `${OUT}/gallery.png` });
  console.log(`wrote ${OUT}/gallery.png`);

  // The bubble on a page, open after a reply, at desktop and phone sizes.
  for (const [name, viewport] of [
    ['bubble', { width: 1100, height: 760 }],
    ['phone', { width: 375, height: 667 }],
  ]) {
    const shot = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    await shot.emulateMedia({ reducedMotion: 'reduce' });
    const look = { attributes: { mode: 'bubble', 'chat-title': 'Acme support', 'welcome-message': 'Hi! How can I help?' }, css: {} };
    await shot.goto(`${url}/#look=${encodeURIComponent(JSON.stringify(look))}`);
    const chat = shot.locator('#chat');
    await chat.evaluate((el) => el.newSession());
    await chat.evaluate((el) => el.show());
    await chat.locator('[part~="input"]').fill('Show me a table');
    await chat.locator('[part~="input"]').press('Enter');
    await chat.locator('[part~="assistant-message"][data-id] table').waitFor();
    await shot.screenshot({ path: `${OUT}/${name}.png` });
    console.log(`wrote ${OUT}/${name}.png`);
    await shot.close();
  }
} finally {
  await browser.close();
  await server.close();
}
