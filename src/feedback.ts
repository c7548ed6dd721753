// Feedback on replies (`feedback`): a thumbs up and a thumbs down under each reply. A chunk of its own,
// fetched only by a widget with `feedback` on. A rating is kept with its message (ChatController.rate:
// stored, and followed by other tabs), can be changed or taken back, is announced, fires
// `thinnest-chat-feedback`, and is posted to `feedback-url` (by default `feedback` beside `proxy-url`,
// where the proxy's POST /api/feedback is) off the visitor's path: a post that fails loses nothing shown.
import { html } from 'lit';
import type { ChatMessage, Rating } from './types.js';
import type { ChatStrings } from './strings.js';
import type { ChatController } from './chat-controller.js';
import type { ThinnestChat } from './thinnest-chat.js';
import { createChatEvent } from './events.js';
import { configurationProblem } from './configuration.js';
import { feedbackEnglish } from './feedback-strings.js';

// Decorative: the names come from their buttons.
const ICONS = {
  up: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7"/></svg>`,
  down: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M17 14V3h4v11zM17 14l-4 8a3 3 0 0 1-3-3v-4H4a2 2 0 0 1-2-2.3l1.4-8A2 2 0 0 1 5.4 3H17"/></svg>`,
};

/** The longest reply the proxy takes with a rating (MAX_FEEDBACK_REPLY_CHARS, server/feedback.ts). */
const MAX_REPLY = 8000;

/** What a widget's rating controls work with: the element, its conversation, its words and its announcer. */
export interface FeedbackContext {
  host: ThinnestChat;
  chat: ChatController;
  strings: ChatStrings;
  announce: (text: string) => void;
}

/** The rating controls of one reply: two toggle buttons, the pressed one its rating. */
export function feedbackControls({ host, chat, strings, announce }: FeedbackContext): (message: ChatMessage) => unknown {
  const say = (key: keyof typeof feedbackEnglish) => strings[key] || feedbackEnglish[key];
  const rate = (id: string, rating: Rating) => {
    const reply = chat.messages.find((m) => m.id === id);
    if (!reply) return;
    // The same rating again takes it back.
    const next = reply.rating === rating ? null : rating;
    chat.rate(id, next);
    announce(say(next ? 'feedbackThanks' : 'feedbackRemoved'));
    const { sessionId } = chat;
    host.dispatchEvent(createChatEvent('thinnest-chat-feedback', { messageId: id, rating: next, sessionId, message: reply.text }));
    void post(host, { session_id: sessionId, message_id: id, rating: next, reply: reply.text.slice(0, MAX_REPLY) });
  };
  return (message) =>
    (['up', 'down'] as const).map(
      (rating) => html`<button
        class="tool"
        part="feedback-button"
        type="button"
        aria-pressed=${message.rating === rating}
        aria-label=${say(rating === 'up' ? 'feedbackUp' : 'feedbackDown')}
        title=${say(rating === 'up' ? 'feedbackUp' : 'feedbackDown')}
        @click=${() => rate(message.id, rating)}
      >
        ${ICONS[rating]}
      </button>`,
    );
}

/**
 * Posts a rating where the site wants it, with the chat's own headers and credentials; never blocks the
 * visitor, and a failure is only logged (the rating stays shown and stored).
 */
async function post(host: ThinnestChat, body: object): Promise<void> {
  const { feedbackUrl, proxyUrl = '', headers, credentials } = host;
  try {
    const url = feedbackUrl || new URL('feedback', new URL(proxyUrl, document.baseURI)).href;
    // The chat's own checks: never a key in a header, never api.thinnest.ai.
    const problem = configurationProblem(url, headers);
    if (problem) throw new Error(problem);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials,
      redirect: 'manual',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    console.warn('thinnest-chat: a rating could not be sent.', error);
  }
}
