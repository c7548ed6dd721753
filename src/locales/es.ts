/**
 * Spanish. Importing this module registers it: widgets whose language is `es` (or `es-MX`, `es-419` …)
 * speak Spanish. Script-tag pages load `locales/es.min.js` next to `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

const es: LocaleStrings = {
  chatTitle: 'Chat',
  placeholder: 'Escribe un mensaje…',
  transcriptLabel: 'Conversación',
  composerLabel: 'Mensaje',
  sendButton: 'Enviar mensaje',
  stopButton: 'Detener',
  retryButton: 'Volver a enviar',
  retryIn: 'Volver a enviar en {seconds} s',
  editButton: 'Editar',
  newSessionButton: 'Empezar una conversación nueva',
  downloadConversation: 'Descargar la conversación',
  deleteConversation: 'Eliminar la conversación',
  deleteConfirm: '¿Eliminar esta conversación de este navegador? No se puede deshacer.',
  deleteConfirmButton: 'Eliminar',
  cancelButton: 'Cancelar',
  conversationDeleted: 'Conversación eliminada',
  copyCode: 'Copiar código',
  copied: 'Copiado',
  copyReply: 'Copiar respuesta',
  feedbackUp: 'Buena respuesta',
  feedbackDown: 'Mala respuesta',
  feedbackThanks: 'Gracias por tu opinión',
  feedbackRemoved: 'Valoración eliminada',
  usualWait: 'Suele responder en unos {seconds} segundos',
  longWait: 'Sigue preparando una respuesta…',
  replyShortened: '(respuesta acortada)',
  openChat: 'Abrir chat',
  closeChat: 'Cerrar chat',
  suggestionsLabel: 'Sugerencias',
  typing: 'El asistente está escribiendo…',
  you: 'Tú',
  assistant: 'Asistente',
  sending: 'Enviando…',
  notDelivered: 'No entregado',
  counter: '{count} / {max}',
  tooLong: 'Supera el límite en {over}.',
  unreadLabel: 'Nueva respuesta',
  dismissTeaser: 'Descartar',
  errorBadRequest: 'El chat no pudo aceptar este mensaje. Prueba a reformularlo o a acortarlo.',
  errorUnavailable: 'El chat no está disponible ahora mismo. Inténtalo más tarde o contacta con nosotros por otra vía.',
  errorTooLarge: 'Este mensaje es demasiado largo para enviarlo. Acórtalo y vuelve a intentarlo.',
  errorRateLimited: 'Demasiados mensajes en poco tiempo. Espera un momento y vuelve a intentarlo.',
  errorRateLimitedFor: 'Demasiados mensajes en poco tiempo. Podrás volver a intentarlo en {seconds} s.',
  errorDailyLimit: 'Este chat ha alcanzado su límite por hoy. Vuelve mañana.',
  errorServer: 'El asistente tuvo un problema al responder. Vuelve a intentarlo.',
  errorBadGateway: 'No se pudo conectar con el servicio de chat. Vuelve a intentarlo.',
  errorBusy: 'El servicio de chat está saturado. Vuelve a intentarlo en un momento.',
  errorGatewayTimeout: 'El asistente tardó demasiado en responder. Vuelve a intentarlo.',
  errorTimeout: 'Sin respuesta tras {seconds} s. Comprueba tu conexión y vuelve a intentarlo.',
  errorNetwork: 'La conexión se cortó antes de que llegara la respuesta. Vuelve a intentarlo.',
  errorOffline: 'No tienes conexión. Tu mensaje se queda aquí: vuelve a enviarlo cuando recuperes la conexión.',
  errorInvalidResponse: 'El chat devolvió una respuesta que no se pudo leer. Vuelve a intentarlo.',
  errorStopped: 'Detenido antes de que llegara la respuesta.',
  errorInterrupted: 'Es posible que este mensaje no se haya entregado.',
  errorMisconfigured: 'El chat no está bien configurado en este sitio.',
  errorUnknown: 'Algo salió mal (error {status}). Vuelve a intentarlo.',
};

registerLocale('es', es);
export default es;
