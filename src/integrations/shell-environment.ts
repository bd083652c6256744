/**
 * Pure: the environment variables a Shell channel's command receives. The check's facts travel
 * only as variables, never inside the command text, so a check named `$(rm -rf /)` stays a
 * string: Healthchecks substitutes `$NAME` etc. into the command before running it, Vigil lets
 * the shell expand `"$NAME"` from the environment instead (same spelling in the command).
 */
import type { Check, Flip } from '../db/index.js'
import { type AlertMessageInput, detailsUrl, tagsList } from './message-facts.js'

export function shellEnvironment(
  input: AlertMessageInput & {
    check: Pick<Check, 'slug'>
    flip: Pick<Flip, 'created'> | null
    lastPing: (AlertMessageInput['lastPing'] & { exitstatus?: number | null }) | null
  },
  now: number,
): Record<string, string> {
  const { check } = input
  const env: Record<string, string> = {
    CODE: check.code,
    STATUS: input.warning ? input.warning.word.toLowerCase() : input.status,
    NOW: new Date(input.flip?.created ?? now).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    NAME: check.name,
    SLUG: check.slug,
    TAGS: check.tags,
    DESC: check.desc,
    PROJECT: input.projectName,
    URL: detailsUrl(input.siteRoot, check.code),
    EXITSTATUS: String(input.lastPing?.exitstatus ?? -1),
    SITE_NAME: input.siteName,
  }
  tagsList(check.tags).forEach((tag, i) => {
    env[`TAG${i + 1}`] = tag
  })
  return env
}
