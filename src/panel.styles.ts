import { css } from 'lit';

/**
 * The panel: header, transcript, composer, and the bubble panel's placement. Part of the chunk
 * that loads when the panel is first needed (src/panel.ts), after the host's and launcher's styles
 * (thinnest-chat.styles.ts), so a closed bubble never fetches it.
 */
export const panelStyles = css`
  /* Panel */
  .panel {
    /* Type is set here, not only on :host, so a page's global resets of the host cannot reach inside. */
    font: var(--_font-size) / 1.45 var(--_font);
    text-align: start;
    display: flex;
    flex-direction: column;
    width: 100%;
    height: 100%;
    min-height: 0;
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
  .title {
    flex: 1;
    margin: 0;
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
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 16px;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  /* Spaced by a margin on each entry, taken back at the top: no sibling selector for the style engine to re-check on every new message. */
  .messages {
    display: flow-root;
    margin-block-start: -10px;
  }
  .messages:empty {
    display: none;
  }
  /*
   * Blocks of 50 messages: older ones are laid out only when scrolled to (then keeping the size
   * they had). The newest two always are, so the newest message is where the scroll puts it.
   */
  .page {
    /* Every block's size is remembered while it is shown, so a block that goes off screen keeps its height. */
    contain-intrinsic-size: auto 4000px;
  }
  .page.old {
    content-visibility: auto;
  }
  .message {
    margin-block-start: 10px;
    display: flex;
    flex-direction: column;
    width: fit-content;
    max-width: 88%;
    gap: 4px;
  }
  .message.user {
    margin-inline-start: auto;
    align-items: flex-end;
  }
  .bubble {
    padding: 9px 13px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
    min-width: 0;
    max-width: 100%;
  }
  .user .bubble {
    background: var(--_user-bubble);
    color: var(--_user-bubble-text);
    white-space: pre-wrap;
    border-end-end-radius: 4px;
  }
  .user.failed .bubble {
    background: transparent;
    color: var(--_foreground);
    border: 1px dashed var(--_error);
  }
  .assistant .bubble {
    background: var(--_assistant-bubble);
    color: var(--_assistant-bubble-text);
    border-end-start-radius: 4px;
  }
  .bubble > :first-child {
    margin-top: 0;
  }
  .bubble > :last-child {
    margin-bottom: 0;
  }
  .bubble p,
  .bubble ul,
  .bubble ol,
  .bubble blockquote,
  .bubble .md-code,
  .bubble .md-table {
    margin: 0.5em 0;
  }
  .bubble ul,
  .bubble ol {
    padding-inline-start: 1.4em;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
  }
  .bubble img {
    max-width: 100%;
    height: auto;
    border-radius: 8px;
  }
  .bubble blockquote {
    padding-inline-start: 0.8em;
    border-inline-start: 3px solid var(--_border);
  }
  .bubble code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    padding: 0.1em 0.3em;
    border-radius: 4px;
    background: rgb(127 127 127 / 0.16);
  }
  .md-heading {
    font-size: 1.05em;
  }
  .md-code {
    position: relative;
  }
  .md-code pre {
    margin: 0;
    padding: 38px 12px 12px;
    border-radius: 8px;
    overflow-x: auto;
    background: var(--_code-background);
    color: var(--_code-text);
  }
  .md-code pre code {
    padding: 0;
    background: none;
    color: inherit;
  }
  .md-copy {
    position: absolute;
    top: 6px;
    inset-inline-end: 6px;
    min-height: 28px;
    padding: 2px 8px;
    font-size: 0.8em;
    border-radius: 6px;
    border: 1px solid rgb(255 255 255 / 0.3);
    background: rgb(255 255 255 / 0.12);
    color: var(--_code-text);
  }
  .md-table {
    overflow-x: auto;
  }
  .md-table table {
    border-collapse: collapse;
    font-size: 0.92em;
  }
  .md-table th,
  .md-table td {
    border: 1px solid var(--_border);
    padding: 4px 8px;
    text-align: start;
  }
  .info {
    display: flex;
    flex-wrap: wrap;
    gap: 0 8px;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    padding: 8px 10px;
    border-radius: 10px;
    background: var(--_error-background);
    color: var(--_error);
    font-size: 0.88em;
  }
  .retry {
    min-height: 32px;
    padding: 4px 12px;
    border-radius: 8px;
    border: 1px solid currentColor;
    background: transparent;
    color: inherit;
    font-weight: 600;
  }
  .retry:disabled {
    cursor: default;
    opacity: 0.7;
  }
  .typing {
    display: flex;
    align-self: flex-start;
    gap: 4px;
    padding: 12px 14px;
    border-radius: var(--_radius);
    background: var(--_assistant-bubble);
  }
  .typing span {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out both;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes blink {
    0%, 80%, 100% { opacity: 0.3; }
    40% { opacity: 1; }
  }
  .suggestions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: auto;
  }
  .suggestion {
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 999px;
    border: 1px solid var(--_accent);
    background: transparent;
    color: var(--_foreground);
    text-align: start;
  }
  .suggestion:hover {
    background: var(--_assistant-bubble);
  }

  /* Composer */
  .composer {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: end;
    gap: 4px 8px;
    padding: 10px 12px;
    border-block-start: 1px solid var(--_border);
  }
  .input {
    display: block;
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

  /* Phones: the open panel fills the screen, clear of notches, and follows the on-screen keyboard. */
  @media (max-width: 480px) {
    /* As specific as the corner rules above, so either corner fills the screen. */
    :host([mode='bubble'][position]) .panel {
      top: var(--_viewport-top, 0);
      bottom: auto;
      inset-inline: 0;
      width: 100%;
      height: var(--_viewport-height, 100dvh);
      border: 0;
      border-radius: 0;
      padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
    }
    :host([mode='bubble'][open]) .launcher {
      display: none;
    }
    .input {
      font-size: max(16px, 1em);
    }
  }
  /* Touch targets of 44 px wherever the pointer is coarse, and on narrow screens (24 px is the floor elsewhere). */
  @media (max-width: 480px), (pointer: coarse) {
    .icon-button,
    .retry,
    .suggestion,
    .md-copy {
      min-width: 44px;
      min-height: 44px;
    }
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
    .bubble,
    .typing,
    .error,
    .input {
      border: 1px solid CanvasText;
    }
    .user.failed .bubble {
      border-style: dashed;
    }
    .icon-button,
    .send,
    .stop,
    .retry,
    .suggestion,
    .md-copy {
      border: 1px solid ButtonText;
    }
    .send:disabled {
      border-color: GrayText;
      color: GrayText;
    }
    .typing span {
      background: CanvasText;
    }
  }
`;
