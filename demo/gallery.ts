// The gallery: one real widget per state, each with its own memory-only session, driven by
// the mock agent at /api/mock-chat (mounted by npm start whatever the key), so its staged states
// (/hang, /error 500, /slow 2) show even when the playground above talks to a real agent.
import type { ThinnestChat } from '../src/index.ts';
// The right-to-left card speaks Arabic: its locale, as a site would load it (widgets in other languages are unaffected).
import '../src/locales/ar.ts';

interface State {
  id: string;
  title: string;
  attributes: Record<string, string>;
  /** What the visitor "does" once the widget is on the page. */
  script?: (chat: ThinnestChat) => Promise<void> | void;
}

const WELCOME = 'Hi! I am the **demo agent**. How can I help?';
const SUGGESTIONS = JSON.stringify(['What can you do?', 'Show me a table', 'Write some code']);

export const STATES: State[] = [
  { id: 'empty', title: 'Empty, with suggestions', attributes: { 'chat-title': 'Support', 'welcome-message': WELCOME, suggestions: SUGGESTIONS } },
  {
    id: 'waiting',
    title: 'Waiting for a reply',
    attributes: { 'chat-title': 'Sales', timeout: '600000' },
    script: (chat) => void chat.send('/hang'),
  },
  {
    id: 'slow',
    title: 'A slow reply, after three that took 2 s',
    // Each card's title is its own: the panels are landmarks named by it.
    attributes: { 'chat-title': 'Onboarding', timeout: '600000' },
    // Three replies of 2 s make the usual time; the fourth never comes: after 3 s the typing indicator says
    // "Usually replies in about 2 seconds", from 4 s that it is still working on a reply.
    script: async (chat) => {
      for (let i = 0; i < 3; i++) await chat.send('/slow 2');
      void chat.send('/hang');
    },
  },
  { id: 'error', title: 'An error, with retry', attributes: { 'chat-title': 'Billing' }, script: (chat) => chat.send('/error 500') },
  { id: 'markdown', title: 'A long markdown reply', attributes: { 'chat-title': 'Docs' }, script: (chat) => chat.send('Give me the tour') },
  {
    id: 'feedback',
    title: 'A reply rated, with feedback on',
    attributes: { 'chat-title': 'Product questions', feedback: '' },
    script: async (chat) => {
      await chat.send('What can you do?');
      await chat.updateComplete;
      chat.shadowRoot?.querySelector<HTMLElement>('[part~="feedback-button"]')?.click();
    },
  },
  {
    id: 'dark',
    title: 'Dark theme',
    attributes: { theme: 'dark', 'chat-title': 'Night shift', 'welcome-message': WELCOME },
    script: (chat) => chat.send('Show me a table'),
  },
  {
    id: 'rtl',
    title: 'Right to left (Arabic)',
    attributes: { dir: 'rtl', lang: 'ar', 'chat-title': 'الدعم', 'welcome-message': 'مرحبًا! كيف يمكنني مساعدتك؟' },
    script: (chat) => chat.send('مرحبا، أريد قائمة list'),
  },
  {
    id: 'bubble-unread',
    title: 'Bubble, closed, with an unread reply',
    attributes: { mode: 'bubble', 'chat-title': 'Help' },
    script: (chat) => chat.send('Hello from the gallery'),
  },
  {
    id: 'bubble-teaser',
    title: 'Bubble, closed, with a teaser',
    attributes: { mode: 'bubble', 'chat-title': 'Pricing', teaser: 'Questions about pricing? Ask me.', 'teaser-delay': '0' },
  },
  {
    id: 'bubble-open',
    title: 'Bubble, open',
    attributes: { mode: 'bubble', open: '', 'chat-title': 'Questions?', 'welcome-message': WELCOME, suggestions: SUGGESTIONS },
  },
];

export function buildGallery(grid: HTMLElement): void {
  for (const state of STATES) {
    const figure = document.createElement('figure');
    figure.className = `state state-${state.id}`;
    figure.id = `state-${state.id}`;
    const caption = document.createElement('figcaption');
    caption.textContent = state.title;
    const frame = document.createElement('div');
    // A transformed frame contains the bubble's fixed positioning, so it floats in the card, not the page.
    frame.className = state.attributes.mode === 'bubble' ? 'frame frame-bubble' : 'frame';
    const chat = document.createElement('thinnest-chat');
    chat.setAttribute('proxy-url', '/api/mock-chat');
    chat.setAttribute('persist', 'none');
    chat.setAttribute('storage-key', `gallery-${state.id}`);
    for (const [name, value] of Object.entries(state.attributes)) chat.setAttribute(name, value);
    frame.append(chat);
    figure.append(caption, frame);
    grid.append(figure);
    void chat.updateComplete.then(() => state.script?.(chat));
  }
}
