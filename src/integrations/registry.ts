/**
 * The channel kinds Vigil can send to. Adding a kind = one module exporting an Integration plus
 * one line here. Kinds stored in the database but missing here fail their notifications with a
 * clear error instead of being skipped silently.
 */
import { appriseIntegration } from './apprise.js'
import { callIntegration } from './call.js'
import { discordIntegration } from './discord.js'
import { emailIntegration } from './email.js'
import { googlechatIntegration } from './googlechat.js'
import { gotifyIntegration } from './gotify.js'
import type { Integration } from './integration.js'
import { matrixIntegration } from './matrix.js'
import { mattermostIntegration } from './mattermost.js'
import { msteamswIntegration } from './msteamsw.js'
import { ntfyIntegration } from './ntfy.js'
import { opsgenieIntegration } from './opsgenie.js'
import { pagertreeIntegration } from './pagertree.js'
import { pdIntegration } from './pd.js'
import { pushbulletIntegration } from './pushbullet.js'
import { pushoverIntegration } from './pushover.js'
import { rocketchatIntegration } from './rocketchat.js'
import { shellIntegration } from './shell.js'
import { signalIntegration } from './signal.js'
import { slackIntegration } from './slack.js'
import { smsIntegration } from './sms.js'
import { spikeIntegration } from './spike.js'
import { telegramIntegration } from './telegram.js'
import { victoropsIntegration } from './victorops.js'
import { webhookIntegration } from './webhook.js'
import { whatsappIntegration } from './whatsapp.js'
import { zulipIntegration } from './zulip.js'

const INTEGRATIONS: ReadonlyMap<string, Integration> = new Map(
  [
    emailIntegration,
    webhookIntegration,
    slackIntegration,
    mattermostIntegration,
    discordIntegration,
    rocketchatIntegration,
    msteamswIntegration,
    googlechatIntegration,
    pdIntegration,
    opsgenieIntegration,
    victoropsIntegration,
    pagertreeIntegration,
    spikeIntegration,
    ntfyIntegration,
    gotifyIntegration,
    pushoverIntegration,
    telegramIntegration,
    zulipIntegration,
    matrixIntegration,
    pushbulletIntegration,
    smsIntegration,
    callIntegration,
    whatsappIntegration,
    signalIntegration,
    appriseIntegration,
    shellIntegration,
  ].map((i) => [i.kind, i]),
)

/** The integration for a channel kind, or undefined for a kind this version cannot send. */
export function integrationFor(kind: string): Integration | undefined {
  return INTEGRATIONS.get(kind)
}

/** Every kind that can be sent. */
export function supportedKinds(): string[] {
  return [...INTEGRATIONS.keys()]
}

/** Why an incident service gets no warnings (the API's 400, the channel form). */
export const NO_WARNINGS =
  'warnings are not sent to incident services, since no recovery would close the incident a warning opened'

/**
 * Whether channels of `kind` may get warnings (`notify_late`). The incident services may not: a
 * warning would open an incident that no recovery closes (the check never went down).
 */
export function takesWarnings(kind: string): boolean {
  return integrationFor(kind)?.opensIncidents !== true
}

/** The kinds that open incidents and so never get warnings. */
export function incidentKinds(): string[] {
  return [...INTEGRATIONS.values()].filter((i) => i.opensIncidents === true).map((i) => i.kind)
}
