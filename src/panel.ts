// The panel's code: the conversation (controller, proxy client, storage), the panel's view
// (header, transcript, composer), and its styles. The element loads it when
// the panel is first needed (inline at once; a bubble when it opens, or its launcher is pointed
// at or focused, or a method needs it), so a closed bubble costs a page only its launcher.
export { ChatController } from './chat-controller.js';
export { secondsLeft, setLabel } from './message-view.js';
export { panelView } from './panel-view.js';
export { panelStyles } from './panel.styles.js';
