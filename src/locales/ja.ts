/**
 * Japanese. Importing this module registers it: widgets whose language is `ja` speak Japanese.
 * Script-tag pages load `locales/ja.min.js` next to `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

const ja: LocaleStrings = {
  chatTitle: 'チャット',
  placeholder: 'メッセージを入力…',
  transcriptLabel: '会話',
  composerLabel: 'メッセージ',
  sendButton: 'メッセージを送信',
  stopButton: '停止',
  retryButton: '再送信',
  retryIn: '{seconds} 秒後に再送信',
  editButton: '編集',
  newSessionButton: '新しい会話を始める',
  downloadConversation: '会話をダウンロード',
  deleteConversation: '会話を削除',
  deleteConfirm: 'このブラウザからこの会話を削除しますか？元に戻すことはできません。',
  deleteConfirmButton: '削除',
  cancelButton: 'キャンセル',
  conversationDeleted: '会話を削除しました',
  copyCode: 'コードをコピー',
  copied: 'コピーしました',
  copyReply: '回答をコピー',
  feedbackUp: '良い回答',
  feedbackDown: '良くない回答',
  feedbackThanks: 'フィードバックありがとうございます',
  feedbackRemoved: '評価を取り消しました',
  usualWait: '通常 {seconds} 秒ほどで返信します',
  longWait: 'まだ返信を準備しています…',
  replyShortened: '（返信の一部を省略しました）',
  openChat: 'チャットを開く',
  closeChat: 'チャットを閉じる',
  suggestionsLabel: '質問の例',
  typing: 'アシスタントが入力中…',
  you: 'あなた',
  assistant: 'アシスタント',
  sending: '送信中…',
  notDelivered: '送信できませんでした',
  counter: '{count} / {max}',
  tooLong: 'メッセージが {over} 文字オーバーしています。',
  unreadLabel: '新しい返信',
  dismissTeaser: '閉じる',
  errorBadRequest: 'このメッセージは受け付けられませんでした。言い換えるか、短くしてお試しください。',
  errorUnavailable: '現在チャットをご利用いただけません。時間をおいて再度お試しいただくか、別の方法でお問い合わせください。',
  errorTooLarge: 'メッセージが長すぎるため送信できません。短くしてもう一度お試しください。',
  errorRateLimited: '短時間に送信されたメッセージが多すぎます。少し待ってから再送信してください。',
  errorRateLimitedFor: '短時間に送信されたメッセージが多すぎます。{seconds} 秒後に再送信できます。',
  errorDailyLimit: 'このチャットは本日の上限に達しました。明日またお越しください。',
  errorServer: 'アシスタントの応答中に問題が発生しました。もう一度お試しください。',
  errorBadGateway: 'チャットサービスに接続できませんでした。もう一度お試しください。',
  errorBusy: 'チャットサービスが混み合っています。少し待ってからもう一度お試しください。',
  errorGatewayTimeout: 'アシスタントの応答に時間がかかりすぎました。もう一度お試しください。',
  errorTimeout: '{seconds} 秒待っても応答がありません。接続を確認して、もう一度お試しください。',
  errorNetwork: '返信が届く前に接続が切れました。もう一度お試しください。',
  errorOffline: 'オフラインです。メッセージはここに残っています。オンラインに戻ったら再送信してください。',
  errorInvalidResponse: 'チャットから読み取れない返信が届きました。もう一度お試しください。',
  errorStopped: '返信が届く前に停止しました。',
  errorInterrupted: 'このメッセージは届いていない可能性があります。',
  errorMisconfigured: 'このサイトのチャットは正しく設定されていません。',
  errorUnknown: '問題が発生しました（エラー {status}）。もう一度お試しください。',
};

registerLocale('ja', ja);
export default ja;
