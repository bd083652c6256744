/**
 * The pings feature's public surface: the ping routes, the record-ping use case and history
 * pruning, the inbound SMTP server (ping by email). Other features (management API, worker, CLI)
 * import from here only.
 */
export { type ClientInfo, clientInfo } from './client-info.js'
export { pingEmailAddress } from './email-recipient.js'
export { type PingStore, pingStoreFor } from './ping-store.js'
export { parseRid, type UrlAction } from './ping-url.js'
export { type PrunedCounts, pruneCheckHistory } from './prune-check-history.js'
export {
  type RecordedPing,
  type RecordPingError,
  type RecordPingInput,
  recordPing,
} from './record-ping.js'
export { pingRoutes } from './routes.js'
export { type Smtpd, startSmtpd } from './smtpd.js'
