import { html, nothing } from 'lit';
import { format } from './strings.js';
import type { LocaleController } from './locale-controller.js';
import type { ComposerController } from './composer-controller.js';
import type { ScreenController } from './screen-controller.js';
import { closeIcon, deleteIcon, downloadIcon, newSessionIcon, sendIcon, stopIcon } from './icons.js';

/** What the panel shows and what its controls do: the element's state, handed over on each render. */
export interface PanelView {
  /** The widget's words and languages (locale-controller.ts). */
  locale: Pick<LocaleController, 'strings' | 'lang' | 'uiLang'>;
  bubble: boolean;
  /** The bubble has been opened once: its panel may animate from now on. */
  opened: boolean;
  /** The screen (screen-controller.ts): a phone's (`small`), where an open bubble fills it; touch-sized targets (`touch`). */
  screen: Pick<ScreenController, 'small' | 'touch'>;
  /** The open bubble fills the screen: the panel is a modal dialog. */
  modal: boolean;
  /** The site's `chat-title`; the widget's own word for it when unset. */
  title?: string;
  /** What the transcript box holds: the conversation once its code is here (transcript-view.ts). */
  transcript: unknown;
  pendingId: string | null;
  /** The draft: its text, its length in characters, whether it says nothing; sending it, Enter (composer-controller.ts). */
  composer: Pick<ComposerController, 'draft' | 'count' | 'blank' | 'submit' | 'onKeydown'>;
  maxLength: number;
  placeholder?: string;
  onPanelKeydown: (event: KeyboardEvent) => void;
  /** The visitor points at or focuses the panel: the renderer will be wanted soon. */
  onApproach: () => void;
  onNewSession: () => void;
  /** The header's "Download conversation" and "Delete conversation", unless `hide-data-controls`: disabled while `empty`; `on` runs the one clicked. */
  dataControls?: { empty: boolean; on: (action: 'download' | 'delete') => void };
  onClose: () => void;
  onStop: () => void;
}

/**
 * The chat panel: header, transcript box and composer. The element renders it itself, so the
 * textbox is there, and keeps what is typed, before the conversation's code (the conversation and
 * what the transcript shows) has arrived.
 */
export function panelView(v: PanelView) {
  const { strings: s, uiLang } = v.locale;
  // Where the widget's own words are English in a page of another language, the site's words are in the page's.
  const siteLang = uiLang ? v.locale.lang : undefined;
  const title = v.title || s.chatTitle;
  return html`<section class="panel ${v.opened ? 'opened' : ''} ${v.screen.small ? 'small' : ''} ${v.screen.touch ? 'touch' : ''}" part="panel" id="panel" aria-label=${title} lang=${uiLang ?? nothing}
      role=${v.modal ? 'dialog' : nothing} aria-modal=${v.modal ? 'true' : nothing}
      @keydown=${v.onPanelKeydown} @pointerenter=${v.onApproach} @focusin=${v.onApproach}>
    <div class="header" part="header">
      <slot name="header"><div class="title" part="title" lang=${(v.title && siteLang) || nothing}>${title}</div></slot>
      ${iconButton('new-session-button', s.newSessionButton, newSessionIcon, v.onNewSession)}
      ${v.dataControls ? dataControls(v.dataControls, s.downloadConversation, s.deleteConversation) : nothing}
      ${v.bubble ? iconButton('close-button', s.closeChat, closeIcon, v.onClose) : nothing}
    </div>
    <div class="transcript" part="transcript" role="log" aria-live="polite" aria-relevant="additions"
      aria-label=${s.transcriptLabel} tabindex="0">
      ${v.transcript}
    </div>
    ${composerView(v, siteLang)}
  </section>`;
}

function dataControls({ empty, on }: NonNullable<PanelView['dataControls']>, download: string, remove: string) {
  return [iconButton('download-button', download, downloadIcon, () => on('download'), empty), iconButton('delete-button', remove, deleteIcon, () => on('delete'), empty)];
}

/** A header button: an icon, named by its label (also its tooltip). */
function iconButton(part: string, label: string, icon: unknown, onClick: () => void, disabled = false) {
  return html`<button class="icon-button" part=${part} type="button" aria-label=${label} title=${label} ?disabled=${disabled} @click=${onClick}>${icon}</button>`;
}

function composerView(v: PanelView, siteLang: string | undefined) {
  const s = v.locale.strings;
  const { composer } = v;
  const { draft, count: length, blank } = composer;
  const over = Math.max(0, length - v.maxLength);
  return html`<form class="composer" part="composer" @submit=${(e: Event) => (e.preventDefault(), composer.submit(draft))}>
    <textarea class="input" part="input" rows="1" lang=${siteLang ?? nothing} aria-label=${s.composerLabel} aria-describedby="counter"
      aria-invalid=${over > 0} placeholder=${v.placeholder ?? s.placeholder}
      @input=${(e: Event) => (composer.draft = (e.target as HTMLTextAreaElement).value)}
      @keydown=${composer.onKeydown}></textarea>
    ${v.pendingId
      ? html`<button class="stop" part="stop-button" type="button" aria-label=${s.stopButton} title=${s.stopButton}
          @click=${v.onStop}>${stopIcon}</button>`
      : html`<button class="send" part="send-button" type="submit" aria-label=${s.sendButton} title=${s.sendButton}
          ?disabled=${blank || over > 0}>${sendIcon}</button>`}
    <div class="counter ${over ? 'over' : ''}" part="counter" id="counter">
      ${format(s.counter, { count: length, max: v.maxLength })}${over
        ? html`<span> · ${format(s.tooLong, { over })}</span>`
        : nothing}
    </div>
  </form>`;
}
