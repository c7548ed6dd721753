import { svg } from 'lit';

/** The launcher's inline SVG icons (no external requests, nothing for a CSP to block; the panel's are in panel-view.ts). Decorative: names come from their buttons. */
export const closeIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>`;
export const chatIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>`;
