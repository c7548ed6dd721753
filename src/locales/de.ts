/**
 * German. Importing this module registers it: widgets whose language is `de` (or `de-AT`, `de-CH` …)
 * speak German. Script-tag pages load `locales/de.min.js` next to `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

const de: LocaleStrings = {
  chatTitle: 'Chat',
  placeholder: 'Nachricht eingeben…',
  transcriptLabel: 'Unterhaltung',
  composerLabel: 'Nachricht',
  sendButton: 'Nachricht senden',
  stopButton: 'Stopp',
  retryButton: 'Erneut senden',
  retryIn: 'Erneut senden in {seconds} s',
  editButton: 'Bearbeiten',
  newSessionButton: 'Neue Unterhaltung beginnen',
  downloadConversation: 'Unterhaltung herunterladen',
  deleteConversation: 'Unterhaltung löschen',
  deleteConfirm: 'Diese Unterhaltung aus diesem Browser löschen? Das lässt sich nicht rückgängig machen.',
  deleteConfirmButton: 'Löschen',
  cancelButton: 'Abbrechen',
  conversationDeleted: 'Unterhaltung gelöscht',
  copyCode: 'Code kopieren',
  copied: 'Kopiert',
  copyReply: 'Antwort kopieren',
  feedbackUp: 'Gute Antwort',
  feedbackDown: 'Schlechte Antwort',
  feedbackThanks: 'Danke für Ihr Feedback',
  feedbackRemoved: 'Bewertung entfernt',
  usualWait: 'Antwortet meist in etwa {seconds} Sekunden',
  longWait: 'Die Antwort ist noch in Arbeit…',
  replyShortened: '(Antwort gekürzt)',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  suggestionsLabel: 'Vorschläge',
  typing: 'Der Assistent schreibt…',
  you: 'Sie',
  assistant: 'Assistent',
  sending: 'Wird gesendet…',
  notDelivered: 'Nicht zugestellt',
  counter: '{count} / {max}',
  tooLong: 'Ihre Nachricht ist {over} Zeichen zu lang.',
  unreadLabel: 'Neue Antwort',
  dismissTeaser: 'Ausblenden',
  errorBadRequest: 'Der Chat konnte diese Nachricht nicht annehmen. Formulieren Sie sie um oder kürzen Sie sie.',
  errorUnavailable: 'Der Chat ist gerade nicht verfügbar. Bitte versuchen Sie es später noch einmal oder kontaktieren Sie uns auf anderem Weg.',
  errorTooLarge: 'Diese Nachricht ist zu lang zum Senden. Kürzen Sie sie und versuchen Sie es noch einmal.',
  errorRateLimited: 'Zu viele Nachrichten in kurzer Zeit. Warten Sie einen Moment und senden Sie dann erneut.',
  errorRateLimitedFor: 'Zu viele Nachrichten in kurzer Zeit. In {seconds} s können Sie erneut senden.',
  errorDailyLimit: 'Dieser Chat hat sein Limit für heute erreicht. Bitte kommen Sie morgen wieder.',
  errorServer: 'Beim Antworten ist ein Problem aufgetreten. Versuchen Sie es noch einmal.',
  errorBadGateway: 'Der Chat-Dienst ist nicht erreichbar. Versuchen Sie es noch einmal.',
  errorBusy: 'Der Chat-Dienst ist gerade ausgelastet. Versuchen Sie es gleich noch einmal.',
  errorGatewayTimeout: 'Der Assistent hat zu lange für eine Antwort gebraucht. Versuchen Sie es noch einmal.',
  errorTimeout: 'Nach {seconds} s keine Antwort. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  errorNetwork: 'Die Verbindung ist abgebrochen, bevor eine Antwort kam. Versuchen Sie es noch einmal.',
  errorOffline: 'Sie sind offline. Ihre Nachricht bleibt hier: Senden Sie sie erneut, sobald Sie wieder online sind.',
  errorInvalidResponse: 'Der Chat hat eine Antwort geschickt, die sich nicht lesen lässt. Versuchen Sie es noch einmal.',
  errorStopped: 'Angehalten, bevor eine Antwort kam.',
  errorInterrupted: 'Diese Nachricht wurde möglicherweise nicht zugestellt.',
  errorMisconfigured: 'Der Chat ist auf dieser Website nicht richtig eingerichtet.',
  errorUnknown: 'Etwas ist schiefgelaufen (Fehler {status}). Versuchen Sie es noch einmal.',
};

registerLocale('de', de);
export default de;
