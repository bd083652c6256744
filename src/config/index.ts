export { allowedHosts, hostAllowed, hostName } from './allowed-hosts.js'
export {
  type AccountsConfig,
  type ApiConfig,
  type Config,
  ConfigError,
  canSendMail,
  type DbConfig,
  type Env,
  loadConfig,
  type SmtpConfig,
} from './config.js'
export type { IntegrationsConfig } from './integrations-config.js'
