import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Browsers with CSS relative colours work the accent's text colour out themselves (thinnest-chat.styles.ts). */
const native = typeof CSS === 'undefined' || CSS.supports('color', 'lch(from red l c h)');

/** Black or white, whichever contrasts more with `color` (any CSS colour a canvas reads), by WCAG relative luminance. */
export function readableOn(color: string): '#000000' | '#ffffff' {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return '#ffffff';
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3), (value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  // Where white and black contrast equally: relative luminance √(1.05 × 0.05) − 0.05.
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000000' : '#ffffff';
}

/**
 * Where CSS has no relative colours (Safari before 18, Firefox before 128, Chrome before 119), the
 * text colour on an accent set alone is worked out here after each update, and handed to the styles.
 */
export class AccentText implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #accent?: string;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    if (!native) host.addController(this);
  }

  hostUpdated(): void {
    const accent = getComputedStyle(this.#host).getPropertyValue('--_accent').trim();
    if (accent === this.#accent) return;
    this.#accent = accent;
    this.#host.style.setProperty('--_accent-text-auto', readableOn(accent));
  }
}
