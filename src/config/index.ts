export {
  type Config,
  ConfigError,
  canSendMail,
  type DbConfig,
  type Env,
  loadConfig,
  type SmtpConfig,
} from './config.js'
