/**
 * Outbound mail: the outbox (enqueue from anywhere, never wait on SMTP) and its sender.
 */
export { signBounceId, unsignBounceId } from './bounce-id.js'
export {
  BOUNCE_ID_HEADER,
  bounceIdOfLocalPart,
  type MailEnvelope,
  mailEnvelope,
} from './envelope-sender.js'
export { MAIL_LEASE_MS, MAIL_MAX_ATTEMPTS, mailRetryDelayMs } from './mail-retry.js'
export {
  type MailStatus,
  mailLooksUsable,
  mailStatus,
  probeAndRecordMail,
  recordInteractiveSend,
} from './mail-status.js'
export { newMessageId } from './message-id.js'
export {
  enqueueMail,
  type MailInput,
  outboxCounts,
  recentOutboxMail,
} from './outbox.js'
export {
  MAIL_NOT_CONFIGURED,
  type SendDueMailOptions,
  type SendDueMailReport,
  sendDueMail,
} from './send-due-mail.js'
export {
  classifySendError,
  NOTIFICATION_MAIL_UNCONFIGURED,
  notificationMailError,
  type SendFailureReason,
} from './send-failure.js'
export { smtpTransportOptions } from './smtp-options.js'
export {
  channelUnsubscribeLink,
  channelUnsubscribeSignedAt,
  reportsUnsubscribeLink,
  reportsUnsubscribeUser,
  unsubscribeHeaders,
} from './unsubscribe-links.js'
