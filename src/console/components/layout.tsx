import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { UserActor } from '../../http/auth.js'

const CLERK_NAV = [
  ['/console', '收件箱'],
  ['/console/cases/new', '新建代收件'],
  ['/console/dashboard', '统计看板'],
] as const

const ADMIN_NAV = [
  ['/console/admin/agreements', '协议管理'],
  ['/console/admin/items', '事项目录'],
  ['/console/admin/users', '用户'],
  ['/console/admin/dead-letters', '死信'],
  ['/console/admin/audit', '审计日志'],
  ['/console/admin/keys', '网关密钥'],
] as const

export interface LayoutProps {
  title: string
  actor?: UserActor | undefined
  csrf?: string | undefined
  /** Path of the current page, to mark its navigation entry. */
  current?: string
  notice?: { kind: 'ok' | 'error'; text: string } | undefined
  children?: Child
}

/** Every console page: Chinese, served entirely by the gateway (no CDN, no inline script). */
export function Layout({ title, actor, csrf, current, notice, children }: LayoutProps) {
  const nav = actor ? [...CLERK_NAV, ...(actor.role === 'admin' ? ADMIN_NAV : [])] : []
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · 跨域通办网关`}</title>
          {/* No favicon request (it would only answer 404). */}
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/console/assets/app.css" />
          <script src="/console/assets/app.js" defer />
        </head>
        <body>
          <header class="top">
            <a class="brand" href="/console">
              新丰县 跨域通办网关
            </a>
            {actor && (
              <nav aria-label="主导航">
                {nav.map(([href, label]) => (
                  <a href={href} aria-current={current === href ? 'page' : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
            )}
            {actor && (
              <form method="post" action="/console/logout" class="who">
                <span>
                  {actor.username}（
                  {actor.role === 'admin' ? '管理员' : `窗口人员 · ${actor.department ?? ''}`}）
                </span>
                <input type="hidden" name="_csrf" value={csrf} />
                <button type="submit" class="link">
                  退出
                </button>
              </form>
            )}
          </header>
          <main>
            <h1>{title}</h1>
            {notice && (
              <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
                {notice.text}
              </p>
            )}
            {children}
          </main>
        </body>
      </html>
    </>
  )
}
