import { css } from './css.js';

/** Beside the launcher (56 px, 20 px from its corner), on its side, never over it, within a 320 px wide phone. */
export const teaserStyles = css`
  .teaser {
    position: fixed;
    z-index: var(--_z-index);
    bottom: 20px;
    inset-inline-end: 88px;
    display: flex;
    align-items: flex-start;
    width: max-content;
    max-width: min(280px, calc(100% - 108px));
    background: var(--thinnest-chat-teaser-background, var(--_background));
    color: var(--thinnest-chat-teaser-text, var(--_foreground));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    font: var(--_font-size) / 1.45 var(--_font);
  }
  .teaser.start {
    inset-inline-end: auto;
    inset-inline-start: 88px;
  }
  button {
    font: inherit;
    color: inherit;
    background: none;
    border: 0;
    cursor: pointer;
  }
  .open {
    flex: 1;
    min-width: 0;
    padding-block: 10px;
    padding-inline: 14px 4px;
    text-align: start;
    overflow-wrap: anywhere;
  }
  .close {
    flex: none;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    margin: 4px;
    padding: 0;
    border-radius: 50%;
    color: var(--_muted);
  }
  .close:hover {
    color: inherit;
  }
  svg {
    width: 16px;
    height: 16px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .open:focus-visible {
    outline-offset: -2px;
    border-radius: var(--_radius);
  }
  @media (prefers-reduced-motion: no-preference) {
    .teaser {
      animation: teaser-in 200ms ease-out;
    }
  }
  @keyframes teaser-in {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
  @media (forced-colors: active) {
    .teaser {
      border-color: CanvasText;
    }
  }
`;
