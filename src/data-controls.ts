// The visitor's own data: the header's "Download conversation" and "Delete conversation" (panel-view.ts). A chunk of
// its own, fetched on the first click of either, so a widget costs a page only the two buttons until then.
import { html, render } from 'lit';
import type { ChatMessage } from './types.js';
import type { ChatStrings } from './strings.js';
import type { ThinnestChat } from './thinnest-chat.js';
import type { LocaleController } from './locale-controller.js';
import type { Announcer } from './announcer.js';
import { dataControlsEnglish } from './data-controls-strings.js';
// The transcript's formatters, from the conversation's code (here already: there are messages to download).
import { formatterIn } from './conversation.js';
// The visitor's calendar day as the teaser counts it: its file comes along on the first download (1.4 KB).
import { today } from './teaser.js';

/** What a click on either control hands over: the widget, its words and language, its announcer. */
export interface DataControlContext {
  host: ThinnestChat;
  locale: Pick<LocaleController, 'strings' | 'lang'>;
  announcer: Pick<Announcer, 'announce'>;
}

/** The context and the button clicked (`download-button` or `delete-button`, panel-view.ts). */
type Clicked = DataControlContext & { button: HTMLButtonElement };

/** Runs the control clicked, found in the header; one gone by the time this code came (`hide-data-controls` set meanwhile) does nothing. */
export function dataControl(action: 'download' | 'delete', context: DataControlContext): void {
  const button = context.host.renderRoot.querySelector<HTMLButtonElement>(`[part="${action}-button"]`);
  if (!button) return;
  return action === 'download' ? download({ ...context, button }) : askToDelete({ ...context, button });
}

/**
 * The conversation as Markdown: the widget's title and the day, then each message with who said it and when
 * (its date and time, in the widget's language), and what was said; replies as the markdown they came as.
 */
function conversationMarkdown(messages: readonly ChatMessage[], title: string, strings: ChatStrings, lang: string, day: string): string {
  const format = formatterIn(lang, 'download', { dateStyle: 'medium', timeStyle: 'short' });
  const parts = [`# ${title}\n\n${day}\n`];
  for (const m of messages) {
    const failed = m.status === 'failed' ? ` · ${strings.notDelivered}` : '';
    parts.push(`**${m.role === 'user' ? strings.you : strings.assistant}** · ${format.format(m.createdAt)}${failed}\n\n${m.text}\n`);
  }
  return parts.join('\n');
}

/** Saves the conversation as a Markdown file named after the widget's title and the day, e.g. `Chat 2026-12-05.md`. */
function download({ host, locale, button }: Clicked): void {
  const { strings } = locale;
  const title = host.chatTitle || strings.chatTitle;
  const day = today();
  const text = conversationMarkdown(host.messages, title, strings, locale.lang, day);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  // Characters no file system takes in a name (and runs of spaces) become one space.
  link.download = `${title.replace(/[\s\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'Chat'} ${day}.md`;
  link.hidden = true;
  button.after(link);
  link.click();
  link.remove();
  // Long enough for the browser to have read it.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/**
 * Asks once, under the header: "Delete this conversation from this browser?" with Delete and Cancel (focused, the
 * choice that loses nothing), drawn as a failure note is, with the transcript's own styles. Delete wipes the stored
 * conversation and starts a new session, in every tab of the site (they follow storage); Cancel or Escape puts focus
 * back on the button; closing the bubble takes the question away, unanswered.
 */
function askToDelete({ host, locale, button, announcer }: Clicked): void {
  const open = host.renderRoot.querySelector<HTMLElement>('[part~="delete-confirm"]');
  if (open) return open.querySelector<HTMLButtonElement>('.no')?.focus();
  const s = { ...dataControlsEnglish, ...locale.strings } as typeof dataControlsEnglish;
  const box = document.createElement('div');
  box.className = 'error';
  box.setAttribute('part', 'delete-confirm');
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-labelledby', 'delete-confirm-text');
  // Set through the CSSOM, which a page's Content Security Policy allows (a style attribute it may not).
  box.style.margin = '8px 12px 0';
  // Closing the bubble leaves the question unanswered: nothing is deleted, and a panel opened again shows no question.
  const asked = new AbortController();
  host.addEventListener('thinnest-chat-toggle', ({ detail }) => detail.open || (box.remove(), asked.abort()), { signal: asked.signal });
  const close = (deleted: boolean) => {
    box.remove();
    asked.abort();
    if (!deleted) return button.focus();
    host.newSession();
    host.focus();
    announcer.announce(s.conversationDeleted);
  };
  render(
    html`<span id="delete-confirm-text">${s.deleteConfirm}</span>
      <button class="retry yes" type="button" part="delete-confirm-button" @click=${() => close(true)}>${s.deleteConfirmButton}</button>
      <button class="retry no" type="button" part="delete-cancel-button" @click=${() => close(false)}>${s.cancelButton}</button>`,
    box,
  );
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    // Escape answers this question only: the bubble stays open.
    event.stopPropagation();
    close(false);
  });
  button.closest('[part~="header"]')!.after(box);
  box.querySelector<HTMLButtonElement>('.no')!.focus();
}
