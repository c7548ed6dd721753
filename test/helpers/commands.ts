// Test-runner commands that work in all three engines (test/commands-plugin.mjs): the built-in
// setViewport, emulateMedia and sendKeys chords have no path for WebKit's WebDriver.
import { executeServerCommand } from '@web/test-runner-commands';

interface Supported {
  supported: boolean;
}

/** Sets the page's viewport to `width` × `height` CSS px. */
export async function setViewport(viewport: { width: number; height: number }): Promise<void> {
  await executeServerCommand<Supported, { width: number; height: number }>('viewport', viewport);
}

/**
 * Emulates prefers-* media features. Returns false where the engine cannot (WebKit over WebDriver
 * takes them from its GTK settings, fixed for the run), so a test can skip saying so.
 */
export async function emulateMedia(features: { colorScheme?: 'light' | 'dark'; reducedMotion?: 'reduce' | 'no-preference' }): Promise<boolean> {
  const { supported } = await executeServerCommand<Supported, typeof features>('media', features);
  return supported;
}

/** Presses a key or a chord, such as `Shift+Tab`: modifiers held down around the last key. */
export async function press(chord: string): Promise<void> {
  await executeServerCommand<Supported, { keys: string[] }>('press', { keys: chord.split('+') });
}

/** Types `text` key by key, as a visitor does. */
export async function typeKeys(text: string): Promise<void> {
  await executeServerCommand<Supported, { text: string }>('type', { text });
}

/**
 * Brings the test page's window in front of the others, so it draws frames as a visitor's would: Chromium runs
 * test files side by side and draws frames only for the window in front. Elsewhere it does nothing (Firefox runs
 * its files one at a time; WebKit's window draws as it is).
 */
export async function bringToFront(): Promise<void> {
  await executeServerCommand<Supported, undefined>('bring-to-front');
}

/** The engine the tests run in, from the user agent: WebKit is Safari's engine. */
export const engine: 'chromium' | 'firefox' | 'webkit' = /Firefox\//.test(navigator.userAgent)
  ? 'firefox'
  : /Chrome\//.test(navigator.userAgent)
    ? 'chromium'
    : 'webkit';
