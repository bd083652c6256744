/**
 * Shared set-up of the check form tests (check-form, check-form-flapping): the monitoring test
 * fixtures, the add URL of Alice's project, her checks as stored, and what the form posts.
 */
import type { TestDialect } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

/** What the form posts for a daily check with an hour of grace, plus `fields`. */
export function checkForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Nightly backup',
    slug: '',
    tags: '',
    desc: '',
    kind: 'simple',
    timeout_value: '1',
    timeout_unit: 'days',
    grace_value: '1',
    grace_unit: 'hours',
    schedule: '',
    tz: 'UTC',
    methods: '',
    action: 'save',
    ...fields,
  }
}

/** Registers useMonitoringTest; `t` gives the fixtures, `addUrl` and `checksOf` Alice's project. */
export function useCheckFormTest(dialect: TestDialect) {
  const t = useMonitoringTest(dialect)
  const addUrl = () => `/projects/${t().project.code}/checks/add`
  const checksOf = () =>
    t()
      .ctx.db.kysely.selectFrom('checks')
      .selectAll()
      .where('project_id', '=', t().project.id)
      .execute()
  return { t, addUrl, checksOf }
}
