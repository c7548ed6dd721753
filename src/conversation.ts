// The conversation's code: its state (controller, proxy client, storage), what the transcript shows,
// its styles, the controllers that follow it, and a full-screen panel's. The element (which renders
// the panel and its composer itself) loads it when the panel is first needed (inline at once; a bubble when it opens,
// or its launcher is pointed at or focused, or a method needs it), so a closed bubble costs a page
// only its launcher.
export { ChatController } from './chat-controller.js';
export { fitComposer } from './fit-composer.js';
export { FollowBottom } from './follow-bottom.js';
export { FullScreenOnNeed } from './full-screen-on-need.js';
export { RetryClock } from './retry-clock.js';
export { transcriptFilling, transcriptView } from './transcript-view.js';
export { transcriptStyles } from './transcript.styles.js';
