import { css } from './css.js';

/** The dark theme's defaults, written once: used by theme="dark" and by theme="auto" on a dark system. */
const darkTheme = css`
  --_accent: var(--thinnest-chat-accent, #7aa2ff);
  --_accent-text: var(--thinnest-chat-accent-text, var(--_accent-text-auto, #0b1020));
  --_background: var(--thinnest-chat-background, #15181e);
  --_foreground: var(--thinnest-chat-foreground, #e8eaee);
  --_muted: var(--thinnest-chat-muted, #a3abb8);
  --_border: var(--thinnest-chat-border-color, #343a46);
  --_control-border: var(--thinnest-chat-control-border, #8a93a3);
  --_assistant-bubble: var(--thinnest-chat-assistant-bubble, #242933);
  --_error: var(--thinnest-chat-error-color, #ffb4a9);
  --_error-background: var(--thinnest-chat-error-background, #3b1d1a);
  --_code-background: var(--thinnest-chat-code-background, #0b0d12);
  /* Where relative colours are missing, this is no colour, and the ring is the text's colour: it contrasts too. */
  --_focus-auto: lch(from var(--_accent) max(l, 55) c h);
  color-scheme: dark;
`;

/**
 * The host and the launcher: what a closed bubble needs. Every `--thinnest-chat-*` property with its fallback. Internal `--_*` names hold the
 * resolved values, so the light and dark defaults live in one place.
 */
export const styles = css`
  /* Black or white text on the accent, whichever contrasts more: L* 49.44 is where both contrast equally with a
     colour (relative luminance 0.179). Browsers without relative colours compute it (accent-contrast.ts). */
  @supports (color: lch(from red l c h)) {
    :host {
      --_accent-text-auto: lch(from var(--_accent) calc((49.44 - l) * infinity) 0 0);
      /* The accent as the focus ring, darkened where it is light (a yellow brand): ≥ 3:1 on the light background.
         The dark theme lightens it instead (below). */
      --_focus-auto: lch(from var(--_accent) min(l, 55) c h);
    }
  }

  :host {
    --_accent: var(--thinnest-chat-accent, #2256d6);
    /* Unless set, text on the accent is black or white, whichever contrasts more with it (below). */
    --_accent-text: var(--thinnest-chat-accent-text, var(--_accent-text-auto, #ffffff));
    --_background: var(--thinnest-chat-background, #ffffff);
    --_foreground: var(--thinnest-chat-foreground, #1b1f24);
    --_muted: var(--thinnest-chat-muted, #5b6470);
    --_border: var(--thinnest-chat-border-color, #d5d9df);
    --_control-border: var(--thinnest-chat-control-border, #767f8c);
    --_radius: var(--thinnest-chat-radius, 14px);
    --_font: var(--thinnest-chat-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--thinnest-chat-font-size, 15px);
    --_user-bubble: var(--thinnest-chat-user-bubble, var(--_accent));
    --_user-bubble-text: var(--thinnest-chat-user-bubble-text, var(--_accent-text));
    --_assistant-bubble: var(--thinnest-chat-assistant-bubble, #f0f2f5);
    --_assistant-bubble-text: var(--thinnest-chat-assistant-bubble-text, var(--_foreground));
    --_error: var(--thinnest-chat-error-color, #b42318);
    --_error-background: var(--thinnest-chat-error-background, #fdecea);
    --_code-background: var(--thinnest-chat-code-background, #1f2430);
    --_code-text: var(--thinnest-chat-code-text, #f3f4f6);
    --_focus: var(--thinnest-chat-focus-ring, var(--_focus-auto, var(--_accent)));
    --_width: var(--thinnest-chat-width, 380px);
    --_height: var(--thinnest-chat-height, 560px);
    --_z-index: var(--thinnest-chat-z-index, 2147483000);
    --_shadow: var(--thinnest-chat-shadow, 0 12px 40px rgb(0 0 0 / 0.18));

    /* No type or text colour here: a page's rule for the element itself would win over :host, so what shows (the
       launcher, the panel, the teaser) sets its own. */
    display: block;
    box-sizing: border-box;
    color-scheme: light;
  }
  /* Inline, and any mode that is not "bubble" (it renders as inline). */
  :host(:not([mode='bubble'])) {
    height: var(--_height);
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='dark']) {
    ${darkTheme}
  }
  /* theme="dark" is dark already; theme="auto" (or none) follows the system. */
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTheme}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
    /* A ring of the panel's background inside the outline: the outline contrasts with it on any page or code block. */
    box-shadow: 0 0 0 2px var(--_background);
  }
  /* Visually hidden, still spoken. On spans and divs only: they have no padding or border to take off. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }


  /* Bubble mode: a launcher in a corner; the panel opens above it, never over either corner's launcher. */
  .launcher {
    position: fixed;
    bottom: 20px;
    inset-inline-end: 20px;
    z-index: var(--_z-index);
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    padding: 0;
    border-radius: 50%;
    border: 0;
    background: var(--_accent);
    color: var(--_accent-text);
    box-shadow: var(--_shadow);
    font: var(--_font-size) / 1.45 var(--_font);
    transition: transform 160ms ease-out;
  }
  .launcher:hover {
    transform: scale(1.05);
  }
  .launcher svg {
    width: 26px;
    height: 26px;
  }
  .unread {
    position: absolute;
    top: 2px;
    inset-inline-end: 2px;
    width: 14px;
    height: 14px;
    border-radius: 50%;
    background: var(--_error);
    border: 2px solid var(--_background);
  }
  /* A failure is told apart by its mark, not by colour alone. */
  .unread.failure {
    display: grid;
    place-items: center;
    width: 18px;
    height: 18px;
    color: var(--_background);
    font: 700 12px / 1 var(--_font);
  }
  .unread.failure::after {
    content: '!';
  }
  /* Corners are logical: a right-to-left widget mirrors them. */
  :host([position='bottom-left']) .launcher {
    inset-inline-end: auto;
    inset-inline-start: 20px;
  }
  .launcher:focus-visible {
    box-shadow: 0 0 0 2px var(--_background), var(--_shadow);
  }
  /* Forced colors (Windows high contrast): backgrounds are dropped, so borders draw the shapes, in system colors. */
  @media (forced-colors: active) {
    .launcher {
      border: 1px solid ButtonText;
    }
    .unread {
      background: CanvasText;
    }
    :focus-visible {
      outline: 2px solid Highlight;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *, *::before, *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;
