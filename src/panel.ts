// The panel's code: the conversation (controller, proxy client, storage), what the transcript
// shows, and its styles. The element (which renders the panel's frame and composer itself) loads
// it when the panel is first needed (inline at once; a bubble when it opens, or its launcher is
// pointed at or focused, or a method needs it), so a closed bubble costs a page only its launcher.
export { ChatController } from './chat-controller.js';
export { copyCode, secondsLeft } from './message-view.js';
export { fitComposer } from './fit-composer.js';
export { transcriptView } from './panel-view.js';
export { panelStyles } from './panel.styles.js';
