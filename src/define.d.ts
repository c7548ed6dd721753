import { ThinnestChat } from './thinnest-chat.js';
import type { ThinnestChatEventMap } from './events.js';
declare global {
    interface HTMLElementTagNameMap {
        'thinnest-chat': ThinnestChat;
    }
    interface HTMLElementEventMap extends ThinnestChatEventMap {
    }
}
