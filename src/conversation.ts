// The conversation's code: its state (controller, proxy client, storage), what the transcript shows,
// its styles, the controllers that follow it, and a full-screen panel's. The element (which renders
// the panel and its composer itself) loads it when the panel is first needed (inline at once; a bubble when it opens,
// or its launcher is pointed at or focused, or a method needs it), so a closed bubble costs a page
// only its launcher.
import type { ReactiveControllerHost } from 'lit';
import { ChatController, type ChatConfig } from './chat-controller.js';
import { FollowBottom } from './follow-bottom.js';
import { FullScreenOnNeed } from './full-screen-on-need.js';
import { RetryClock } from './retry-clock.js';
import type { TranscriptPlace } from './conversation-part.js';

export { transcriptFilling, transcriptView } from './transcript-view.js';
export { transcriptStyles } from './transcript.styles.js';
export { formatterIn } from './message-time.js';

/**
 * A widget's conversation, with the controllers that follow its transcript: keeping the newest message in
 * view, a retry's countdown, a phone's full-screen panel. Started once, when this code is here (conversation-part.ts).
 */
export function startConversation(host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode }, config: () => ChatConfig, place: TranscriptPlace): ChatController {
  const chat = new ChatController(host, config);
  new FollowBottom(host, () => ({ box: place.box(), messages: chat.messages, pendingId: chat.pendingId, tabStops: place.tabStops() }));
  new RetryClock(host, () => chat.messages);
  new FullScreenOnNeed(host, place.fullScreen);
  return chat;
}
