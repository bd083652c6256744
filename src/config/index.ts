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
  type HttpServerConfig,
  loadConfig,
  OIDC_CALLBACK_PATH,
  type OidcConfig,
  type S3Config,
  type SmtpConfig,
} from './config.js'
export type { IntegrationsConfig } from './integrations-config.js'
