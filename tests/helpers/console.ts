import type { TestGateway } from './gateway.js'

/** The origin app.request's URLs live on (http://localhost/...), for the console's Origin check. */
export const CONSOLE_ORIGIN = 'http://localhost'

export type FormFields = Record<string, string | File | (string | File)[]>

export interface ConsoleSession {
  /** `kytb_console=<token>`, for a Cookie header. */
  cookie: string
  /** The session's form token (`_csrf`). */
  csrf: string
  get(path: string): Promise<Response>
  /**
   * Posts a form as a browser would (Origin, cookie, `_csrf` unless `csrf: false`); multipart
   * when a field holds a file or `multipart: true`. Redirects are not followed.
   */
  postForm(
    path: string,
    fields: FormFields,
    options?: { csrf?: boolean; origin?: string | null; multipart?: boolean },
  ): Promise<Response>
}

const setCookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`))

const hiddenCsrf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)?.[1]

function formBody(fields: FormFields, multipart: boolean): FormData | URLSearchParams {
  const entries = Object.entries(fields).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => [k, x] as const),
  )
  if (multipart || entries.some(([, v]) => typeof v !== 'string')) {
    const fd = new FormData()
    for (const [k, v] of entries) fd.append(k, v)
    return fd
  }
  return new URLSearchParams(entries as [string, string][])
}

/** Signs in through the console's own sign-in form (login CSRF cookie, Origin) and keeps the session. */
export async function consoleSignIn(
  gw: TestGateway,
  username: string,
  password: string,
): Promise<ConsoleSession> {
  const page = await gw.app.request('/console/login')
  const loginCookie = setCookieValue(page, 'kytb_login_csrf')
  const loginCsrf = hiddenCsrf(await page.text())
  if (!loginCookie || !loginCsrf) throw new Error('the sign-in page has no CSRF token')
  const res = await gw.app.request('/console/login', {
    method: 'POST',
    headers: { Origin: CONSOLE_ORIGIN, Host: 'localhost', Cookie: loginCookie },
    body: new URLSearchParams({ _csrf: loginCsrf, username, password, next: '/console' }),
  })
  const cookie = setCookieValue(res, 'kytb_console')
  if (res.status !== 303 || !cookie)
    throw new Error(`console sign-in ${username}: ${res.status} ${await res.text()}`)
  const get = async (path: string) => gw.app.request(path, { headers: { Cookie: cookie, Host: 'localhost' } })
  const csrf = hiddenCsrf(await (await get('/console')).text())
  if (!csrf) throw new Error('the inbox has no form token')
  return {
    cookie,
    csrf,
    get,
    postForm: async (path, fields, options = {}) => {
      const headers: Record<string, string> = { Cookie: cookie, Host: 'localhost' }
      const origin = options.origin === undefined ? CONSOLE_ORIGIN : options.origin
      if (origin !== null) headers.Origin = origin
      const all = options.csrf === false ? fields : { _csrf: csrf, ...fields }
      return gw.app.request(path, {
        method: 'POST',
        headers,
        body: formBody(all, options.multipart ?? false),
      })
    },
  }
}
