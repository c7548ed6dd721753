import { adoptStyles, type ReactiveElement } from 'lit';
import type { ChatMessage } from './types.js';
import type { ChatConfig, ChatController } from './chat-controller.js';
import { emptyConversation, freeze, parseConversation, storageFor, storedText, type Conversation } from './stored-conversation.js';
import { LazyPart, codeOnNeed } from './lazy-part.js';

type Code = typeof import('./conversation.js');
type Host = ConstructorParameters<typeof LazyPart>[0];

/** Where the transcript is, for the controllers that follow it: read on every update, so nothing else is built then. */
export interface TranscriptPlace {
  /** The transcript box, once rendered. */
  box: () => HTMLElement | null | undefined;
  /** Makes a transcript's scrolling code blocks and tables tab stops (the renderer's, once loaded). */
  tabStops: () => ((root: ParentNode) => void) | undefined;
  /** Whether the open panel fills the screen, as a modal dialog (BubbleController.fullScreen). */
  fullScreen: () => boolean;
}

// Once per page, whichever widget needs it first.
const code = codeOnNeed<Code>(() => import('./conversation.js'), 'the chat panel could not be loaded.');

/**
 * The conversation, loaded on need: its code (conversation.ts) and, once that is here, this
 * widget's ChatController, the transcript's styles in the shadow root, and the controllers that
 * follow the transcript. Before then, `messages` and `sessionId` are read from storage: a closed
 * bubble has its conversation too.
 */
export class ConversationPart extends LazyPart<Code> {
  /** The conversation, once its code is here. */
  chat?: ChatController;
  readonly #config: () => ChatConfig;
  readonly #transcript: TranscriptPlace;

  constructor(host: Host, config: () => ChatConfig, transcript: TranscriptPlace) {
    super(host, code, (loaded) => this.#start(host, loaded));
    this.#config = config;
    this.#transcript = transcript;
  }

  /**
   * Sends `text` when the conversation is here, saying whether it went out; while code is on its way (the
   * conversation's, or what follows another tab's change: ChatController.submit), a promise of whether it has
   * come (then send again).
   */
  send(text: string): boolean | Promise<boolean> {
    return this.chat ? this.chat.submit(text) : this.load().then(() => !!this.chat);
  }

  get messages(): readonly ChatMessage[] {
    return this.chat?.messages ?? this.#stored().messages;
  }

  get sessionId(): string | null {
    return this.chat ? this.chat.sessionId : this.#stored().sessionId;
  }

  override hostConnected(): void {
    super.hostConnected();
    // The shadow root is made on first connection: code that arrived before then is styled now.
    this.#style(this.host);
  }

  #start(host: Host, loaded: Code): void {
    this.#style(host);
    this.chat = loaded.startConversation(host, this.#config, this.#transcript);
    host.requestUpdate();
  }

  /** The transcript's styles join the element's own (again on each connection: adopting is idempotent). */
  #style(host: Host): void {
    const root = host.renderRoot;
    if (this.value && root instanceof ShadowRoot) {
      adoptStyles(root, [...(host.constructor as typeof ReactiveElement).elementStyles, this.value.transcriptStyles]);
    }
  }

  #stored(): Conversation {
    const { persist, storageKey } = this.#config();
    try {
      return freeze(parseConversation(storedText(storageKey, persist, storageFor(persist))));
    } catch {
      return emptyConversation(); // storage that throws: the conversation's code will keep it in memory
    }
  }
}
