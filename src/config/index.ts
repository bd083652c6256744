export { allowedHosts, hostAllowed, hostName } from './allowed-hosts.js'
export {
  type AccountsConfig,
  type ApiConfig,
  type Config,
  ConfigError,
  canSendMail,
  canSendSms,
  type DbConfig,
  type Env,
  EXIT_CONFIG,
  envWithRecordedSiteRoot,
  type HttpServerConfig,
  loadConfig,
  OIDC_CALLBACK_PATH,
  type OidcConfig,
  type S3Config,
  type SmtpConfig,
  siteRootOf,
} from './config.js'
export type { IntegrationsConfig } from './integrations-config.js'
export {
  dataFolder,
  loadConfigWithStoredKey,
  SECRET_KEY_FILE_NAME,
  type StoredSecretKey,
} from './secret-key-file.js'
export type { SmtpdConfig } from './smtpd-config.js'
