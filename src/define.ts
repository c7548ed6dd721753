import { ThinnestChat } from './thinnest-chat.js';
import type { ThinnestChatEventMap } from './events.js';

/** Registers `<thinnest-chat>`; a second copy of the script on the page is a no-op, not an error. */
if (!customElements.get('thinnest-chat')) customElements.define('thinnest-chat', ThinnestChat);

declare global {
  interface HTMLElementTagNameMap {
    'thinnest-chat': ThinnestChat;
  }
  interface HTMLElementEventMap extends ThinnestChatEventMap {}
  // The events bubble and are composed: a page may listen for every widget's on the document or window.
  interface DocumentEventMap extends ThinnestChatEventMap {}
  interface WindowEventMap extends ThinnestChatEventMap {}
}
