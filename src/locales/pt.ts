/**
 * Portuguese (Brazilian usage, understood in Portugal too). Importing this module registers it:
 * widgets whose language is `pt` (or `pt-BR`, `pt-PT` …) speak Portuguese. Script-tag pages load
 * `locales/pt.min.js` next to `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

const pt: LocaleStrings = {
  chatTitle: 'Chat',
  placeholder: 'Escreva uma mensagem…',
  transcriptLabel: 'Conversa',
  composerLabel: 'Mensagem',
  sendButton: 'Enviar mensagem',
  stopButton: 'Parar',
  retryButton: 'Reenviar',
  retryIn: 'Reenviar em {seconds} s',
  editButton: 'Editar',
  newSessionButton: 'Começar uma nova conversa',
  downloadConversation: 'Baixar a conversa',
  deleteConversation: 'Apagar a conversa',
  deleteConfirm: 'Apagar esta conversa deste navegador? Não é possível desfazer.',
  deleteConfirmButton: 'Apagar',
  cancelButton: 'Cancelar',
  conversationDeleted: 'Conversa apagada',
  copyCode: 'Copiar código',
  copied: 'Copiado',
  copyReply: 'Copiar resposta',
  feedbackUp: 'Boa resposta',
  feedbackDown: 'Resposta ruim',
  feedbackThanks: 'Obrigado pelo seu feedback',
  feedbackRemoved: 'Avaliação removida',
  usualWait: 'Costuma responder em cerca de {seconds} segundos',
  longWait: 'Ainda está preparando uma resposta…',
  replyShortened: '(resposta encurtada)',
  openChat: 'Abrir chat',
  closeChat: 'Fechar chat',
  suggestionsLabel: 'Sugestões',
  typing: 'O assistente está digitando…',
  you: 'Você',
  assistant: 'Assistente',
  sending: 'Enviando…',
  notDelivered: 'Não entregue',
  counter: '{count} / {max}',
  tooLong: 'Excede o limite em {over}.',
  unreadLabel: 'Nova resposta',
  dismissTeaser: 'Dispensar',
  errorBadRequest: 'O chat não pôde aceitar esta mensagem. Tente reformulá-la ou encurtá-la.',
  errorUnavailable: 'O chat está indisponível no momento. Tente novamente mais tarde ou fale conosco de outra forma.',
  errorTooLarge: 'Esta mensagem é longa demais para ser enviada. Encurte-a e tente novamente.',
  errorRateLimited: 'Muitas mensagens em pouco tempo. Aguarde um momento e tente novamente.',
  errorRateLimitedFor: 'Muitas mensagens em pouco tempo. Você poderá tentar novamente em {seconds} s.',
  errorDailyLimit: 'Este chat atingiu o limite de hoje. Volte amanhã.',
  errorServer: 'O assistente teve um problema ao responder. Tente novamente.',
  errorBadGateway: 'Não foi possível acessar o serviço de chat. Tente novamente.',
  errorBusy: 'O serviço de chat está sobrecarregado. Tente novamente em instantes.',
  errorGatewayTimeout: 'O assistente demorou demais para responder. Tente novamente.',
  errorTimeout: 'Nenhuma resposta após {seconds} s. Verifique sua conexão e tente novamente.',
  errorNetwork: 'A conexão caiu antes de a resposta chegar. Tente novamente.',
  errorOffline: 'Você está sem conexão. Sua mensagem fica guardada aqui: reenvie-a quando a conexão voltar.',
  errorInvalidResponse: 'O chat enviou uma resposta que não pôde ser lida. Tente novamente.',
  errorStopped: 'Interrompido antes de a resposta chegar.',
  errorInterrupted: 'Esta mensagem pode não ter sido entregue.',
  errorMisconfigured: 'O chat não está configurado corretamente neste site.',
  errorUnknown: 'Algo deu errado (erro {status}). Tente novamente.',
};

registerLocale('pt', pt);
export default pt;
