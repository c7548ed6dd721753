/**
 * French. Importing this module registers it: widgets whose language is `fr` (or `fr-CA`, `fr-BE` …)
 * speak French. Script-tag pages load `locales/fr.min.js` next to `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

// French typography: a no-break space (\u00a0) before “:” and between a number and its unit.
const fr: LocaleStrings = {
  chatTitle: 'Discussion',
  placeholder: 'Écrivez un message…',
  transcriptLabel: 'Conversation',
  composerLabel: 'Message',
  sendButton: 'Envoyer le message',
  stopButton: 'Arrêter',
  retryButton: 'Renvoyer',
  retryIn: 'Renvoyer dans {seconds}\u00a0s',
  editButton: 'Modifier',
  newSessionButton: 'Commencer une nouvelle conversation',
  downloadConversation: 'Télécharger la conversation',
  deleteConversation: 'Supprimer la conversation',
  deleteConfirm: 'Supprimer cette conversation de ce navigateur ? Cette action est définitive.',
  deleteConfirmButton: 'Supprimer',
  cancelButton: 'Annuler',
  conversationDeleted: 'Conversation supprimée',
  copyCode: 'Copier le code',
  copied: 'Copié',
  copyReply: 'Copier la réponse',
  feedbackUp: 'Bonne réponse',
  feedbackDown: 'Mauvaise réponse',
  feedbackThanks: 'Merci pour votre avis',
  feedbackRemoved: 'Évaluation retirée',
  usualWait: 'Répond généralement en {seconds}\u00a0secondes environ',
  longWait: 'Réponse toujours en préparation…',
  replyShortened: '(réponse raccourcie)',
  openChat: 'Ouvrir la discussion',
  closeChat: 'Fermer la discussion',
  suggestionsLabel: 'Suggestions',
  typing: 'L’assistant écrit…',
  you: 'Vous',
  assistant: 'Assistant',
  sending: 'Envoi en cours…',
  notDelivered: 'Non envoyé',
  counter: '{count} / {max}',
  tooLong: 'Limite dépassée de {over}.',
  unreadLabel: 'Nouvelle réponse',
  dismissTeaser: 'Masquer',
  errorBadRequest: 'La discussion n’a pas pu accepter ce message. Essayez de le reformuler ou de le raccourcir.',
  errorUnavailable: 'La discussion est indisponible pour le moment. Réessayez plus tard ou contactez-nous par un autre moyen.',
  errorTooLarge: 'Ce message est trop long pour être envoyé. Raccourcissez-le, puis réessayez.',
  errorRateLimited: 'Trop de messages en peu de temps. Patientez un instant, puis réessayez.',
  errorRateLimitedFor: 'Trop de messages en peu de temps. Vous pourrez réessayer dans {seconds}\u00a0s.',
  errorDailyLimit: 'Cette discussion a atteint sa limite pour aujourd’hui. Revenez demain.',
  errorServer: 'L’assistant a rencontré un problème en répondant. Réessayez.',
  errorBadGateway: 'Le service de discussion est injoignable. Réessayez.',
  errorBusy: 'Le service de discussion est surchargé. Réessayez dans un instant.',
  errorGatewayTimeout: 'L’assistant a mis trop de temps à répondre. Réessayez.',
  errorTimeout: 'Aucune réponse après {seconds}\u00a0s. Vérifiez votre connexion, puis réessayez.',
  errorNetwork: 'La connexion a été coupée avant l’arrivée de la réponse. Réessayez.',
  errorOffline: 'Vous êtes hors ligne. Votre message est conservé ici\u00a0: renvoyez-le dès que vous serez de nouveau en ligne.',
  errorInvalidResponse: 'La discussion a renvoyé une réponse illisible. Réessayez.',
  errorStopped: 'Arrêté avant l’arrivée de la réponse.',
  errorInterrupted: 'Ce message n’a peut-être pas été remis.',
  errorMisconfigured: 'La discussion n’est pas correctement configurée sur ce site.',
  errorUnknown: 'Une erreur s’est produite (erreur {status}). Réessayez.',
};

registerLocale('fr', fr);
export default fr;
