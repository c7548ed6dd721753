// Black or white text on the accent, whichever contrasts more, for browsers without CSS relative
// colours (Chrome before 119, Firefox before 128, Safari before 16.4). Elsewhere the stylesheet's
// `@supports` rule does it (thinnest-chat.styles.ts), and this file is never fetched. If it fails to
// load, the fixed defaults stay (white on the light theme's accent, near-black on the dark one's).
import type { ReactiveController, ReactiveElement } from 'lit';

/** Where black and white contrast equally with a colour: WCAG relative luminance √(1.05 × 0.05) − 0.05. */
const EQUAL_CONTRAST = 0.179;

/** `#000000` or `#ffffff`, whichever contrasts more with a colour as `getComputedStyle` gives it (`rgb(…)`, `color(srgb …)`). */
export function textOn(computed: string): '#000000' | '#ffffff' {
  const scale = computed.startsWith('color(') ? 1 : 255;
  const [r = 0, g = 0, b = 0] = (computed.match(/[\d.]+/g) ?? []).map((channel) => {
    const c = Number(channel) / scale;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > EQUAL_CONTRAST ? '#000000' : '#ffffff';
}

/**
 * Sets `--_accent-text-auto` on the host after each update (the theme or the accent may have changed)
 * and when the system turns dark or light (`theme="auto"`). A `--thinnest-chat-accent-text` set by
 * the site still wins over it, as in the stylesheet.
 */
export class AccentContrast implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #scheme = matchMedia('(prefers-color-scheme: dark)');

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#scheme.addEventListener('change', this.#follow);
    this.#follow();
  }

  hostDisconnected(): void {
    this.#scheme.removeEventListener('change', this.#follow);
  }

  hostUpdated(): void {
    this.#follow();
  }

  /** Reads the accent as the widget resolves it (a probe in its shadow root) and sets the text colour for it. */
  readonly #follow = (): void => {
    const probe = document.createElement('i');
    probe.style.color = 'var(--_accent)';
    this.#host.renderRoot.append(probe);
    const text = textOn(getComputedStyle(probe).color);
    probe.remove();
    if (this.#host.style.getPropertyValue('--_accent-text-auto') !== text) this.#host.style.setProperty('--_accent-text-auto', text);
  };
}
