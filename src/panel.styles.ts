import { css } from './css.js';

/**
 * The panel: header, transcript box, composer, and the bubble panel's placement. Part of the
 * element's own styles, with its view (panel-view.ts), so the textbox shows and takes typing
 * before the conversation's code (conversation.ts) has arrived.
 */
export const panelStyles = css`
  .panel {
    /* Type is set here, not only on :host, so a page's global resets of the host cannot reach inside. */
    font: var(--_font-size) / 1.45 var(--_font);
    text-align: start;
    display: flex;
    flex-direction: column;
    width: 100%;
    height: 100%;
    background: var(--_background);
    color: var(--_foreground);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding-block: 10px;
    padding-inline: 16px 12px;
    border-block-end: 1px solid var(--_border);
    min-height: 52px;
  }
  /* The page's own header (slot "header") takes the title's place, and its room: the buttons stay at the end. */
  .title,
  .header ::slotted(*) {
    flex: 1;
    min-width: 0;
  }
  .title {
    font-size: 1.05em;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    min-width: 36px;
    min-height: 36px;
    padding: 6px;
    border: 1px solid transparent;
    border-radius: 10px;
    background: transparent;
    color: var(--_muted);
  }
  .icon-button:hover {
    color: var(--_foreground);
    border-color: var(--_border);
  }
  /* Download and delete, with no conversation yet. */
  .icon-button:disabled {
    opacity: 0.4;
    border-color: transparent;
  }
  svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  /* Transcript */
  .transcript {
    /* Wide code or tables scroll inside their bubble; they never widen the widget. */
    contain: inline-size;
    position: relative;
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 16px;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  /* Shown in the transcript when the conversation's code could not be loaded. */
  .unavailable {
    margin: auto;
    text-align: center;
    color: var(--_error);
  }
  .composer {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: end;
    gap: 4px 8px;
    padding: 10px 12px;
    border-block-start: 1px solid var(--_border);
  }
  .input {
    width: 100%;
    min-height: 44px;
    max-height: 160px;
    resize: none;
    padding: 10px 12px;
    border: 1px solid var(--_control-border);
    border-radius: 12px;
    background: var(--_background);
    field-sizing: content;
  }
  .input::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  .input[aria-invalid='true'] {
    border-color: var(--_error);
  }
  .send,
  .stop {
    display: inline-grid;
    place-items: center;
    width: 44px;
    height: 44px;
    border-radius: 12px;
    border: 1px solid transparent;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .stop {
    background: var(--_foreground);
    color: var(--_background);
  }
  .send:disabled {
    cursor: default;
    opacity: 0.55;
  }
  .counter {
    grid-column: 1 / -1;
    font-size: 0.78em;
    color: var(--_muted);
    text-align: end;
  }
  .counter.over {
    color: var(--_error);
    font-weight: 600;
  }

  :host([mode='bubble']) .panel {
    position: fixed;
    bottom: 88px;
    inset-inline-end: 20px;
    z-index: var(--_z-index);
    width: min(var(--_width), calc(100vw - 40px));
    height: min(var(--_height), calc(100vh - 108px), calc(100dvh - 108px));
    box-shadow: var(--_shadow);
    transform-origin: bottom right;
  }
  /* Animated only once it has been opened: switching into bubble mode closed shows no fade. */
  :host([mode='bubble']) .panel.opened {
    transition: opacity 160ms ease-out, transform 160ms ease-out, display 160ms allow-discrete;
  }
  :host([mode='bubble'][position='bottom-left']) .panel {
    inset-inline-end: auto;
    inset-inline-start: 20px;
    transform-origin: bottom left;
  }
  :host([mode='bubble']:not([open])) .panel {
    display: none;
    opacity: 0;
    transform: translateY(8px) scale(0.98);
  }
  @starting-style {
    :host([mode='bubble'][open]) .panel {
      opacity: 0;
      transform: translateY(8px) scale(0.98);
    }
  }

  /* Phones, upright or on their side (screen-controller.ts): the open panel fills the screen, clear of
     notches, and follows the on-screen keyboard. As specific as the corner rules above, and more: [mode] twice
     weighs as the corner's [position='…'] does, and holds where the page has removed position (the default corner). */
  :host([mode='bubble'][mode='bubble']) .panel.small {
    top: var(--_viewport-top, 0);
    bottom: auto;
    inset-inline: 0;
    width: 100%;
    height: var(--_viewport-height, 100dvh);
    border: 0;
    border-radius: 0;
    padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
  }
  :host([mode='bubble'][open]) .launcher.small {
    display: none;
  }
  .small .input {
    font-size: max(16px, 1em);
  }
  /* Touch targets of 44 px wherever the pointer is coarse, and on narrow screens (24 px is the floor elsewhere). */
  .touch .icon-button {
    min-width: 44px;
    min-height: 44px;
  }
  /* Right to left: logical properties mirror the layout; these mirror what has no logical form. */
  :host(:dir(rtl)) .send svg {
    transform: scaleX(-1);
  }
  :host(:dir(rtl)[mode='bubble']) .panel {
    transform-origin: bottom left;
  }
  :host(:dir(rtl)[mode='bubble'][position='bottom-left']) .panel {
    transform-origin: bottom right;
  }
  /* The transcript fills the panel, which clips what is outside it: its ring goes inside. */
  .transcript:focus-visible {
    outline-offset: -4px;
    box-shadow: none;
  }

  /* Forced colors (Windows high contrast): backgrounds are dropped, so borders draw the shapes, in system colors. */
  @media (forced-colors: active) {
    .panel,
    .input {
      border: 1px solid CanvasText;
    }
    .icon-button,
    .send,
    .stop {
      border: 1px solid ButtonText;
    }
    .icon-button:disabled,
    .send:disabled {
      border-color: GrayText;
      color: GrayText;
    }
  }
`;
