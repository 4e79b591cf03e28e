import type { CaseSummary } from '../../modules/cases/view.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { beijingTime, PARTNER_ZH, STATE_ZH } from '../labels.js'

/** Tabs of the clerk's inbox: each a set of states. */
export const INBOX_TABS = [
  ['new', '新收件', ['received']],
  ['working', '办理中', ['accepted', 'in_process', 'correction_submitted']],
  ['correction', '待补正', ['correction_requested']],
  ['suspended', '特别程序', ['suspended']],
  ['outbound', '本地代收', []],
  ['all', '全部', []],
] as const

export type InboxTab = (typeof INBOX_TABS)[number][0]

export function InboxPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    tab: InboxTab
    q: string
    items: CaseSummary[]
    nextCursor: string | null
  },
) {
  return (
    <Layout {...props} title="收件箱" current="/console">
      <nav class="filters" aria-label="分类">
        {INBOX_TABS.map(([key, label]) => (
          <a
            href={`/console?tab=${key}`}
            class={key === props.tab ? 'tag red' : 'tag'}
            aria-current={key === props.tab ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      <form method="get" action="/console" class="filters" aria-label="搜索办件">
        <input type="hidden" name="tab" value={props.tab} />
        <label>
          <span class="sr-only">搜索</span>
          <input name="q" value={props.q} placeholder="办件编号、申请人或事项" />
        </label>
        <button type="submit">搜索</button>
      </form>
      {props.tab === 'outbound' && (
        <p>
          <a class="button" href="/console/cases/new">
            新建代收件
          </a>
        </p>
      )}
      {props.items.length === 0 ? (
        <p class="muted">没有办件。</p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th>办件编号</th>
              <th>事项</th>
              <th>申请人</th>
              <th>来源</th>
              <th>状态</th>
              <th>收件时间</th>
              <th>剩余工作日</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((c) => (
              <tr class={c.overdue ? 'overdue' : undefined}>
                <td data-label="办件编号">
                  <a href={`/console/cases/${c.caseNo}`}>{c.caseNo}</a>
                </td>
                <td data-label="事项">{c.item.name}</td>
                <td data-label="申请人">{c.applicantName}</td>
                <td data-label="来源">
                  {PARTNER_ZH[c.partner] ?? c.partner}
                  {c.direction === 'outbound' ? '（本地代收）' : ''}
                </td>
                <td data-label="状态">{STATE_ZH[c.state] ?? c.state}</td>
                <td data-label="收件时间">{beijingTime(c.receivedAt)}</td>
                <td data-label="剩余工作日">
                  {c.overdue ? <span class="tag red">已超期</span> : (c.workingDaysLeft ?? '—')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.nextCursor && (
        <p class="pager">
          <a href={`/console?tab=${props.tab}&q=${encodeURIComponent(props.q)}&cursor=${props.nextCursor}`}>
            下一页
          </a>
        </p>
      )}
    </Layout>
  )
}
