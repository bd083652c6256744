/**
 * The `integrations` group of the settings: per-kind on/off switches, credentials and the base URL
 * of every fixed vendor API. Names are Healthchecks' where it has them (SLACK_ENABLED, PD_ENABLED,
 * TELEGRAM_TOKEN, …); each vendor also gets a `<VENDOR>_API_URL` so tests and users behind a proxy
 * can point it elsewhere. Kept apart from config.ts so that file stays about the site itself.
 */
import type { Env } from './config.js'

/** The value readers of config.ts, passed in so this file does not import config.ts back. */
export interface EnvReaders {
  bool(env: Env, name: string, dflt: boolean): boolean
  int(env: Env, name: string, dflt: number, min: number, max: number): number
  secret(env: Env, name: string): string | undefined
  url(name: string, raw: string): URL
  fail(name: string, problem: string): never
}

export interface IntegrationsConfig {
  slackEnabled: boolean
  mattermostEnabled: boolean
  /** Vigil's switch (Healthchecks gates Discord by its OAuth app only). */
  discordEnabled: boolean
  rocketchatEnabled: boolean
  msteamsEnabled: boolean
  /** Vigil's switch (Healthchecks has none for Google Chat). */
  googlechatEnabled: boolean
  /** Vigil's switch (Healthchecks has none for ntfy). */
  ntfyEnabled: boolean
  /** Vigil's switch (Healthchecks has none for Gotify). */
  gotifyEnabled: boolean
  pdEnabled: boolean
  opsgenieEnabled: boolean
  victoropsEnabled: boolean
  pagertreeEnabled: boolean
  spikeEnabled: boolean
  zulipEnabled: boolean
  /** Off by default, as Healthchecks; Apprise also needs the `apprise` command on PATH. */
  appriseEnabled: boolean
  /** Off by default, as Healthchecks: commands run inside the worker process. */
  shellEnabled: boolean
  /** Token used for https://ntfy.sh when the channel has none. */
  ntfyShToken: string | null
  /** PagerDuty Events API base; the v1 `/generic/2010-04-15/create_event.json` path is appended. */
  pdApiUrl: string
  opsgenieApiUrl: string
  opsgenieEuApiUrl: string
  /** Pushover is off while this is null. */
  pushoverApiToken: string | null
  pushoverSubscriptionUrl: string | null
  /** Seconds between repeats of an emergency (priority 2) Pushover alert. */
  pushoverEmergencyRetryDelay: number
  /** Seconds an emergency Pushover alert keeps repeating. */
  pushoverEmergencyExpiration: number
  pushoverApiUrl: string
  pushbulletApiUrl: string
  /** Telegram is off while this is null. */
  telegramToken: string | null
  telegramBotName: string
  telegramApiUrl: string
  /** Matrix is off unless homeserver and access token are both set. */
  matrixHomeserver: string | null
  matrixUserId: string | null
  matrixAccessToken: string | null
  twilioAccount: string | null
  twilioAuth: string | null
  twilioFrom: string | null
  twilioMessagingServiceSid: string | null
  twilioUseWhatsapp: boolean
  whatsappDownContentSid: string | null
  whatsappUpContentSid: string | null
  /** Vigil's: the template for warnings (late…); null = WhatsApp channels send no warnings. */
  whatsappWarningContentSid: string | null
  twilioApiUrl: string
  /** signal-cli JSON-RPC endpoint: a UNIX socket path or `host:port`; null = Signal off. */
  signalCliSocket: string | null
}

/** A setting that is unset or blank reads as null. */
function optional(raw: string | undefined): string | null {
  const v = (raw ?? '').trim()
  return v === '' ? null : v
}

export function integrationsConfig(env: Env, r: EnvReaders): IntegrationsConfig {
  /** A vendor API base URL: http(s), trailing slashes removed. */
  const apiUrl = (name: string, dflt: string) =>
    r.url(name, (env[name] ?? '').trim() || dflt).href.replace(/\/+$/, '')
  const matrixHomeserver = optional(env.MATRIX_HOMESERVER)
  if (matrixHomeserver) r.url('MATRIX_HOMESERVER', matrixHomeserver)
  const signalCliSocket = optional(env.SIGNAL_CLI_SOCKET)
  if (signalCliSocket?.includes(':') && !/^[^:/]+:\d{1,5}$/.test(signalCliSocket)) {
    r.fail(
      'SIGNAL_CLI_SOCKET',
      `expected a UNIX socket path or host:port, got "${signalCliSocket}"`,
    )
  }
  return Object.freeze({
    slackEnabled: r.bool(env, 'SLACK_ENABLED', true),
    mattermostEnabled: r.bool(env, 'MATTERMOST_ENABLED', true),
    discordEnabled: r.bool(env, 'DISCORD_ENABLED', true),
    rocketchatEnabled: r.bool(env, 'ROCKETCHAT_ENABLED', true),
    msteamsEnabled: r.bool(env, 'MSTEAMS_ENABLED', true),
    googlechatEnabled: r.bool(env, 'GOOGLECHAT_ENABLED', true),
    ntfyEnabled: r.bool(env, 'NTFY_ENABLED', true),
    gotifyEnabled: r.bool(env, 'GOTIFY_ENABLED', true),
    pdEnabled: r.bool(env, 'PD_ENABLED', true),
    opsgenieEnabled: r.bool(env, 'OPSGENIE_ENABLED', true),
    victoropsEnabled: r.bool(env, 'VICTOROPS_ENABLED', true),
    pagertreeEnabled: r.bool(env, 'PAGERTREE_ENABLED', true),
    spikeEnabled: r.bool(env, 'SPIKE_ENABLED', true),
    zulipEnabled: r.bool(env, 'ZULIP_ENABLED', true),
    appriseEnabled: r.bool(env, 'APPRISE_ENABLED', false),
    shellEnabled: r.bool(env, 'SHELL_ENABLED', false),
    ntfyShToken: optional(r.secret(env, 'NTFY_SH_TOKEN')),
    pdApiUrl: apiUrl('PD_API_URL', 'https://events.pagerduty.com'),
    opsgenieApiUrl: apiUrl('OPSGENIE_API_URL', 'https://api.opsgenie.com'),
    opsgenieEuApiUrl: apiUrl('OPSGENIE_EU_API_URL', 'https://api.eu.opsgenie.com'),
    pushoverApiToken: optional(r.secret(env, 'PUSHOVER_API_TOKEN')),
    pushoverSubscriptionUrl: optional(env.PUSHOVER_SUBSCRIPTION_URL),
    pushoverEmergencyRetryDelay: r.int(env, 'PUSHOVER_EMERGENCY_RETRY_DELAY', 300, 30, 86400),
    pushoverEmergencyExpiration: r.int(env, 'PUSHOVER_EMERGENCY_EXPIRATION', 86400, 1, 604800),
    pushoverApiUrl: apiUrl('PUSHOVER_API_URL', 'https://api.pushover.net'),
    pushbulletApiUrl: apiUrl('PUSHBULLET_API_URL', 'https://api.pushbullet.com'),
    telegramToken: optional(r.secret(env, 'TELEGRAM_TOKEN')),
    telegramBotName: (env.TELEGRAM_BOT_NAME ?? '').trim() || 'ExampleBot',
    telegramApiUrl: apiUrl('TELEGRAM_API_URL', 'https://api.telegram.org'),
    matrixHomeserver: matrixHomeserver?.replace(/\/+$/, '') ?? null,
    matrixUserId: optional(env.MATRIX_USER_ID),
    matrixAccessToken: optional(r.secret(env, 'MATRIX_ACCESS_TOKEN')),
    twilioAccount: optional(env.TWILIO_ACCOUNT),
    twilioAuth: optional(r.secret(env, 'TWILIO_AUTH')),
    twilioFrom: optional(env.TWILIO_FROM),
    twilioMessagingServiceSid: optional(env.TWILIO_MESSAGING_SERVICE_SID),
    twilioUseWhatsapp: r.bool(env, 'TWILIO_USE_WHATSAPP', false),
    whatsappDownContentSid: optional(env.WHATSAPP_DOWN_CONTENT_SID),
    whatsappUpContentSid: optional(env.WHATSAPP_UP_CONTENT_SID),
    whatsappWarningContentSid: optional(env.WHATSAPP_WARNING_CONTENT_SID),
    twilioApiUrl: apiUrl('TWILIO_API_URL', 'https://api.twilio.com'),
    signalCliSocket,
  })
}
