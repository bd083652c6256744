/**
 * The status-page management pages under a project, as pure views: the list of the project's
 * pages, and one page's form (title, address, description, public or private, tags, the checks
 * it lists with their public names), its manual incident notes and its access token. Read-only
 * members see the same without forms. The forms post to routes.ts.
 */
import type { Check, Project, StatusPage } from '../../db/index.js'
import type { ProjectRole } from '../../projects/index.js'
import {
  type ListedCheck,
  NOTE_STATE_LABEL,
  NOTE_STATES,
  type Note,
  STATUS_PAGE_LIMITS,
} from '../../status-pages/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { canWrite } from '../project-access.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import { formatInstant } from '../time-format.js'

/** Where a page's management lives. */
export function managePath(project: Project, page?: StatusPage): string {
  const base = `/projects/${project.code}/status-pages/`
  return page ? `${base}${page.code}/` : base
}

/** The public address of a page; with `token` for a private page's link. */
export function publicPath(slug: string, token?: string | null): string {
  return `/status/${slug}${token ? `?token=${encodeURIComponent(token)}` : ''}`
}

function Head({ project }: { project: Project }) {
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /
      </p>
      <h1>{project.name}</h1>
      <ProjectTabs project={project} current="status-pages" />
    </>
  )
}

function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrf} />
}

export interface ListProps {
  project: Project
  role: ProjectRole
  pages: StatusPage[]
  siteRoot: string
  notice?: string
}

export function StatusPagesList({ project, role, pages, siteRoot, notice }: ListProps) {
  return (
    <>
      <Head project={project} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        Status pages show chosen checks to people without an account: a public name, the current
        state, 90 days of uptime and incidents, with your notes. They never show check UUIDs or ping
        URLs.
      </p>
      {pages.length === 0 ? (
        <p class="muted">This project has no status pages yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Address</th>
              <th scope="col">Visibility</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={managePath(project, p)}>{p.title}</a>
                </td>
                <td>
                  {p.token_hash === null ? (
                    <a href={publicPath(p.slug)}>{`${siteRoot}${publicPath(p.slug)}`}</a>
                  ) : (
                    <code>{`${siteRoot}${publicPath(p.slug)}`}</code>
                  )}
                </td>
                <td>{p.token_hash === null ? 'Public' : 'Private (link with a token)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite(role) && (
        <p class="actions">
          <a class="button" href={`${managePath(project)}new`}>
            New status page
          </a>
        </p>
      )}
    </>
  )
}

/** The form's values: a saved page, or what was posted. */
export interface FormValues {
  slug: string
  title: string
  description: string
  tags: string
  private: boolean
  /** Chosen check UUIDs → public name. */
  chosen: Map<string, string>
}

export function formValuesOf(page: StatusPage, listed: ListedCheck[]): FormValues {
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    tags: page.tags,
    private: page.token_hash !== null,
    chosen: new Map(listed.filter((l) => l.chosen).map((l) => [l.check.code, l.publicName])),
  }
}

export const EMPTY_FORM: FormValues = {
  slug: '',
  title: '',
  description: '',
  tags: '',
  private: false,
  chosen: new Map(),
}

export interface EditProps {
  project: Project
  role: ProjectRole
  csrf: string
  siteRoot: string
  /** Null: the form of a new page. */
  page: StatusPage | null
  checks: Check[]
  values: FormValues
  notes: Note[]
  notice?: string
  error?: string
  /** A new access token, shown once with the private link. */
  token?: string | null
}

function SettingsForm(props: EditProps) {
  const { project, page, values, checks, csrf } = props
  const write = canWrite(props.role)
  const action = page ? managePath(project, page) : `${managePath(project)}new`
  return (
    <form method="post" action={action} class="card">
      <Csrf csrf={csrf} />
      <fieldset disabled={!write}>
        <legend>Page</legend>
        <label for="sp-title">Title</label>
        <input
          type="text"
          id="sp-title"
          name="title"
          required
          maxLength={STATUS_PAGE_LIMITS.title}
          value={values.title}
        />
        <label for="sp-slug">Address</label>
        <input
          type="text"
          id="sp-slug"
          name="slug"
          required
          maxLength={64}
          pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
          value={values.slug}
          aria-describedby="sp-slug-hint"
        />
        <p class="hint" id="sp-slug-hint">
          {`${props.siteRoot}/status/`}
          <em>address</em>: lower-case letters, digits and hyphens, unique on this site.
        </p>
        <label for="sp-description">Description</label>
        <textarea id="sp-description" name="description" maxLength={STATUS_PAGE_LIMITS.description}>
          {values.description}
        </textarea>
        <fieldset>
          <legend>Who can see it</legend>
          <label class="inline">
            <input type="radio" name="visibility" value="public" checked={!values.private} />
            Anyone with the address
          </label>
          <label class="inline">
            <input type="radio" name="visibility" value="private" checked={values.private} />
            Only people with the private link (it carries a secret token)
          </label>
        </fieldset>
      </fieldset>
      <fieldset disabled={!write}>
        <legend>Checks it shows</legend>
        <label for="sp-tags">Tags</label>
        <input
          type="text"
          id="sp-tags"
          name="tags"
          maxLength={STATUS_PAGE_LIMITS.tags}
          value={values.tags}
          aria-describedby="sp-tags-hint"
        />
        <p class="hint" id="sp-tags-hint">
          Space-separated: every check with one of these tags is listed under its own name.
        </p>
        {checks.length === 0 ? (
          <p class="muted">This project has no checks yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Show</th>
                <th scope="col">Public name</th>
              </tr>
            </thead>
            <tbody>
              {checks.map((c) => {
                const name = c.name || c.slug || c.code
                return (
                  <tr key={c.code}>
                    <td>
                      <label class="inline">
                        <input
                          type="checkbox"
                          name="check"
                          value={c.code}
                          checked={values.chosen.has(c.code)}
                        />
                        {name}
                      </label>
                    </td>
                    <td>
                      <input
                        type="text"
                        name={`public_name_${c.code}`}
                        aria-label={`Public name of ${name}`}
                        maxLength={STATUS_PAGE_LIMITS.publicName}
                        value={values.chosen.get(c.code) ?? (c.name || c.slug)}
                      />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </fieldset>
      {write && (
        <p class="actions">
          <button type="submit">{page ? 'Save' : 'Create status page'}</button>
        </p>
      )}
    </form>
  )
}

function StateSelect({ id, value }: { id: string; value?: string }) {
  return (
    <select id={id} name="state">
      {NOTE_STATES.map((s) => (
        <option key={s} value={s} selected={s === value}>
          {NOTE_STATE_LABEL[s]}
        </option>
      ))}
    </select>
  )
}

function Notes(props: EditProps & { page: StatusPage }) {
  const { project, page, notes, csrf } = props
  const write = canWrite(props.role)
  const base = `${managePath(project, page)}notes`
  return (
    <section class="card" aria-labelledby="notes">
      <h2 id="notes">Incident notes</h2>
      <p class="muted">
        Notes appear on the page and in its feed with their updates. Outages of the listed checks
        appear there by themselves.
      </p>
      {notes.map((n) => {
        const last = n.updates[n.updates.length - 1]
        return (
          <article key={n.id} class="note">
            <h3>
              {n.title}{' '}
              <span class="muted">
                ({NOTE_STATE_LABEL[last?.state as keyof typeof NOTE_STATE_LABEL] ?? last?.state})
              </span>
            </h3>
            <ol class="note-updates">
              {n.updates.map((u) => (
                <li key={u.id}>
                  <strong>{NOTE_STATE_LABEL[u.state as keyof typeof NOTE_STATE_LABEL]}</strong>{' '}
                  <span class="muted">{formatInstant(u.created, 'UTC')}</span>
                  <p>{u.body}</p>
                </li>
              ))}
            </ol>
            {write && (
              <div class="note-actions">
                <form method="post" action={`${base}/${n.id}`}>
                  <Csrf csrf={csrf} />
                  <label for={`u-state-${n.id}`}>New state</label>
                  <StateSelect id={`u-state-${n.id}`} value={last?.state} />
                  <label for={`u-body-${n.id}`}>Update</label>
                  <textarea id={`u-body-${n.id}`} name="body" required />
                  <p class="actions">
                    <button type="submit">Add update</button>
                  </p>
                </form>
                <form method="post" action={`${base}/${n.id}/delete`}>
                  <Csrf csrf={csrf} />
                  <button type="submit" class="secondary">
                    Delete note
                  </button>
                </form>
              </div>
            )}
          </article>
        )
      })}
      {write && (
        <form method="post" action={base}>
          <Csrf csrf={csrf} />
          <h3>New note</h3>
          <label for="n-title">Title</label>
          <input type="text" id="n-title" name="title" required maxLength={200} />
          <label for="n-state">State</label>
          <StateSelect id="n-state" />
          <label for="n-body">Text</label>
          <textarea id="n-body" name="body" required />
          <p class="actions">
            <button type="submit">Post note</button>
          </p>
        </form>
      )}
    </section>
  )
}

function Danger(props: EditProps & { page: StatusPage }) {
  const { project, page, csrf } = props
  const base = managePath(project, page)
  return (
    <section class="card" aria-labelledby="danger">
      <h2 id="danger">Link and deletion</h2>
      <form method="post" action={`${base}token`}>
        <Csrf csrf={csrf} />
        <p>
          {page.token_hash === null
            ? 'Make the page private with a new secret link: the plain address stops working.'
            : 'A new secret link replaces the current one, which stops working at once.'}
        </p>
        <button type="submit" class="secondary">
          New private link
        </button>
      </form>
      <form method="post" action={`${base}delete`}>
        <Csrf csrf={csrf} />
        <p>Deleting the page removes it and its notes; the checks stay as they are.</p>
        <button type="submit" class="danger">
          Delete status page
        </button>
      </form>
    </section>
  )
}

function LinkCard({
  page,
  token,
  siteRoot,
}: {
  page: StatusPage
  token?: string | null
  siteRoot: string
}) {
  const url = `${siteRoot}${publicPath(page.slug, token)}`
  return (
    <section class="card" aria-labelledby="link">
      <h2 id="link">Address</h2>
      {page.token_hash === null ? (
        <p>
          Public: <a href={publicPath(page.slug)}>{url}</a>
        </p>
      ) : token ? (
        <div role="status">
          <p>Private. This is its link; copy it now, it is shown only once:</p>
          <p>
            <a href={publicPath(page.slug, token)}>
              <code>{url}</code>
            </a>
          </p>
        </div>
      ) : (
        <p>
          Private: only the link with its secret token opens <code>{url}</code>. The link was shown
          when it was made; make a new one below if it is lost.
        </p>
      )}
    </section>
  )
}

export function StatusPageEdit(props: EditProps) {
  const { page } = props
  return (
    <>
      <Head project={props.project} />
      <h2>{page ? page.title : 'New status page'}</h2>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {page && <LinkCard page={page} token={props.token} siteRoot={props.siteRoot} />}
      <SettingsForm {...props} />
      {page && <Notes {...props} page={page} />}
      {page && canWrite(props.role) && <Danger {...props} page={page} />}
    </>
  )
}
