import { css } from './css.js';

/**
 * What the transcript holds: messages, replies' markdown, failure notes, the typing indicator and
 * suggestions. Part of the conversation's code (conversation.ts), which loads when the panel is
 * first needed, after the element's own styles (thinnest-chat.styles.ts, panel.styles.ts), so a closed
 * bubble never fetches it.
 */
export const transcriptStyles = css`
  /* Spaced by a margin on each entry, taken back at the top: no sibling selector for the style engine to re-check on every new message. */
  .messages {
    display: flow-root;
    margin-block-start: -10px;
  }
  .messages:empty {
    display: none;
  }
  /*
   * Blocks of 10 messages: older ones are laid out only when scrolled to (then keeping the size
   * they had). The newest two always are, so the newest message is where the scroll puts it.
   */
  .page {
    /* Every block's size is remembered while it is shown, so a block that goes off screen keeps its height. */
    contain-intrinsic-size: auto 800px;
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
    color: var(--thinnest-chat-link-color, currentColor);
    text-decoration: underline;
  }
  .bubble img {
    max-width: 100%;
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
  }
  .md-copy {
    position: absolute;
    top: 6px;
    inset-inline-end: 6px;
    min-height: 28px;
    padding: 2px 8px;
    font-size: 0.8em;
    border-radius: 6px;
    /* Outlined in the code's text colour, so it shows on a light code background as on the dark default; the code's
       background under it, so code beneath never shows through. */
    border: 1px solid;
    background: var(--_code-background);
    color: var(--_code-text);
  }
  .md-table {
    overflow-x: auto;
  }
  .md-table table {
    /* Cells wrap between words only: a table wider than the bubble scrolls in its wrapper. */
    overflow-wrap: normal;
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
    align-items: center;
    gap: 0 8px;
    font-size: 0.8em;
    color: var(--_muted);
  }
  /* A reply's own controls in its info line (copy, and the rating with feedback on): quiet until pointed at. Their
     colour is the line's, as every button's is (thinnest-chat.styles.ts). */
  .tool {
    min-height: 24px;
    border: 0;
    background: none;
  }
  .tool:hover {
    color: var(--_foreground);
  }
  .tool svg {
    width: 16px;
    height: 16px;
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
    border: 1px solid;
    background: transparent;
    font-weight: 600;
  }
  .retry[aria-disabled='true'] {
    cursor: default;
    opacity: 0.7;
  }
  .typing {
    display: flex;
    align-items: center;
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
  /* Touch targets of 44 px wherever the pointer is coarse, and on narrow screens (panel.styles.ts). */
  .touch .retry,
  .touch .suggestion,
  .touch .tool,
  .touch .md-copy {
    min-width: 44px;
    min-height: 44px;
  }

  /* Forced colors (Windows high contrast): backgrounds are dropped, so borders draw the shapes, in system colors.
     A failed message's bubble keeps its own dashed border (.user.failed .bubble is the more specific rule). */
  @media (forced-colors: active) {
    .bubble,
    .typing,
    .error {
      border: 1px solid CanvasText;
    }
    .retry,
    .suggestion,
    .tool,
    .md-copy {
      border: 1px solid ButtonText;
    }
    .typing span {
      background: CanvasText;
    }
  }
`;
