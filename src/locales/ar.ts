/**
 * Arabic. Importing this module registers it: widgets whose language is `ar` (or `ar-EG`, `ar-SA` …)
 * speak Arabic, laid out right to left. Script-tag pages load `locales/ar.min.js` next to
 * `thinnest-chat.min.js` instead.
 * @packageDocumentation
 */
import { registerLocale } from '../locale-registry.js';
import type { LocaleStrings } from '../strings.js';

const ar: LocaleStrings = {
  chatTitle: 'الدردشة',
  placeholder: 'اكتب رسالة…',
  transcriptLabel: 'المحادثة',
  composerLabel: 'الرسالة',
  sendButton: 'إرسال الرسالة',
  stopButton: 'إيقاف',
  retryButton: 'إعادة الإرسال',
  retryIn: 'إعادة الإرسال بعد {seconds} ث',
  editButton: 'تعديل',
  newSessionButton: 'بدء محادثة جديدة',
  downloadConversation: 'تنزيل المحادثة',
  deleteConversation: 'حذف المحادثة',
  deleteConfirm: 'هل تريد حذف هذه المحادثة من هذا المتصفح؟ لا يمكن التراجع عن ذلك.',
  deleteConfirmButton: 'حذف',
  cancelButton: 'إلغاء',
  conversationDeleted: 'تم حذف المحادثة',
  copyCode: 'نسخ الكود',
  copied: 'تم النسخ',
  copyReply: 'نسخ الرد',
  feedbackUp: 'رد جيد',
  feedbackDown: 'رد سيئ',
  feedbackThanks: 'شكرًا على ملاحظاتك',
  feedbackRemoved: 'أُزيل التقييم',
  usualWait: 'يرد عادةً خلال {seconds} ث تقريبًا',
  longWait: 'لا يزال يعمل على الرد…',
  replyShortened: '(تم اختصار الرد)',
  openChat: 'فتح الدردشة',
  closeChat: 'إغلاق الدردشة',
  suggestionsLabel: 'اقتراحات',
  typing: 'المساعد يكتب…',
  you: 'أنت',
  assistant: 'المساعد',
  sending: 'جارٍ الإرسال…',
  notDelivered: 'لم يتم الإرسال',
  counter: '{count} / {max}',
  tooLong: 'تتجاوز رسالتك الحد المسموح به بعدد {over} من الأحرف.',
  unreadLabel: 'رد جديد',
  dismissTeaser: 'إخفاء',
  errorBadRequest: 'تعذّر قبول هذه الرسالة. حاول إعادة صياغتها أو اختصارها.',
  errorUnavailable: 'الدردشة غير متاحة حاليًا. يُرجى المحاولة لاحقًا أو التواصل معنا بطريقة أخرى.',
  errorTooLarge: 'هذه الرسالة أطول من أن تُرسَل. اختصرها ثم حاول مرة أخرى.',
  errorRateLimited: 'رسائل كثيرة في وقت قصير. انتظر قليلًا ثم أعد المحاولة.',
  errorRateLimitedFor: 'رسائل كثيرة في وقت قصير. يمكنك إعادة المحاولة بعد {seconds} ث.',
  errorDailyLimit: 'بلغت هذه الدردشة حدّها لهذا اليوم. يُرجى العودة غدًا.',
  errorServer: 'واجه المساعد مشكلة أثناء الرد. حاول مرة أخرى.',
  errorBadGateway: 'تعذّر الوصول إلى خدمة الدردشة. حاول مرة أخرى.',
  errorBusy: 'خدمة الدردشة مشغولة حاليًا. حاول مرة أخرى بعد لحظات.',
  errorGatewayTimeout: 'استغرق المساعد وقتًا طويلًا للرد. حاول مرة أخرى.',
  errorTimeout: 'لم يصل أي رد بعد {seconds} ث. تحقّق من اتصالك ثم حاول مرة أخرى.',
  errorNetwork: 'انقطع الاتصال قبل وصول الرد. حاول مرة أخرى.',
  errorOffline: 'أنت غير متصل بالإنترنت. رسالتك محفوظة هنا: أعد إرسالها عند عودة الاتصال.',
  errorInvalidResponse: 'أرسلت الدردشة ردًا تعذّرت قراءته. حاول مرة أخرى.',
  errorStopped: 'تم الإيقاف قبل وصول الرد.',
  errorInterrupted: 'ربما لم تصل هذه الرسالة.',
  errorMisconfigured: 'لم يتم إعداد الدردشة بشكل صحيح على هذا الموقع.',
  errorUnknown: 'حدث خطأ ما (الخطأ {status}). حاول مرة أخرى.',
};

registerLocale('ar', ar);
export default ar;
