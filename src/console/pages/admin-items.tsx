import { ITEM_MODES, ITEM_STATUS_MOVES, ITEM_STATUSES, type Item } from '../../modules/catalog/model.js'
import type { Figures } from '../../modules/stats/figures.js'
import { ErrorBox, type ErrorView } from '../components/admin-form-errors.js'
import { itemMoveLabel, MODE_ZH, percent } from '../components/admin-labels.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { ITEM_STATUS_ZH } from '../labels.js'

/** The catalogue page's filters, as they travel in its query string. */
export const ITEM_FILTER_KEYS = [
  'department',
  'status',
  'mode',
  'crossCity',
  'township',
  'q',
  'cursor',
] as const
export type ItemFilterQuery = Partial<Record<(typeof ITEM_FILTER_KEYS)[number], string>>

/** Only the catalogue page's own parameters, re-encoded: a safe place to come back to. */
export function itemsQueryString(q: ItemFilterQuery, without: string[] = []): string {
  const params = new URLSearchParams()
  for (const key of ITEM_FILTER_KEYS) {
    const v = q[key]
    if (v && !without.includes(key)) params.set(key, v)
  }
  return params.toString()
}

const STATUS_TAG: Record<string, string> = {
  catalogued: 'tag',
  online: 'tag green',
  paused: 'tag amber',
  retired: 'tag red',
}

export function ItemsPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    query: ItemFilterQuery
    departments: { code: string; name: string }[]
    items: Item[]
    total: number
    nextCursor: string | null
    figures: Map<string, Figures>
    error?: ErrorView | undefined
  },
) {
  const q = props.query
  const deptName = new Map(props.departments.map((d) => [d.code, d.name]))
  const back = itemsQueryString(q)
  const yesNo = (name: 'crossCity' | 'township', label: string) => (
    <label>
      {label}
      <select name={name}>
        <option value="">全部</option>
        <option value="true" selected={q[name] === 'true'}>
          是
        </option>
        <option value="false" selected={q[name] === 'false'}>
          否
        </option>
      </select>
    </label>
  )
  return (
    <Layout {...props} title="事项目录" current="/console/admin/items">
      <ErrorBox view={props.error} />
      <form method="get" action="/console/admin/items" class="filters" aria-label="筛选事项">
        <label>
          部门
          <select name="department">
            <option value="">全部部门</option>
            {props.departments.map((d) => (
              <option value={d.code} selected={q.department === d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          状态
          <select name="status">
            <option value="">全部</option>
            {ITEM_STATUSES.map((s) => (
              <option value={s} selected={q.status === s}>
                {ITEM_STATUS_ZH[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          办理模式
          <select name="mode">
            <option value="">全部</option>
            {ITEM_MODES.map((m) => (
              <option value={m} selected={q.mode === m}>
                {MODE_ZH[m]}
              </option>
            ))}
          </select>
        </label>
        {yesNo('crossCity', '跨市通办')}
        {yesNo('township', '乡镇可办')}
        <label>
          搜索
          <input name="q" value={q.q ?? ''} placeholder="名称、实施编码或基本编码" />
        </label>
        <button type="submit">筛选</button>
        <a href="/console/admin/items">清除条件</a>
      </form>
      <p class="muted" role="status">
        共 {props.total} 项{q.cursor ? '（非第一页）' : ''}。收件、在办、办结、超期为该事项的全部办件。
      </p>
      <table class="responsive">
        <caption class="sr-only">事项及其办件数字</caption>
        <thead>
          <tr>
            <th>事项</th>
            <th>部门</th>
            <th>办理模式</th>
            <th>承诺时限</th>
            <th>状态</th>
            <th class="num">收件</th>
            <th class="num">在办</th>
            <th class="num">办结</th>
            <th class="num">超期</th>
            <th class="num">办结率</th>
            <th>变更状态</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => {
            const f = props.figures.get(item.code)
            const moves = ITEM_STATUS_MOVES[item.status]
            return (
              <tr id={`item-${item.code}`}>
                <td data-label="事项">
                  {item.name}
                  <br />
                  <code class="muted small">{item.code}</code>
                  {item.crossCity && <span class="tag">跨市</span>}
                  {item.township && <span class="tag">乡镇</span>}
                </td>
                <td data-label="部门">{deptName.get(item.department) ?? item.department}</td>
                <td data-label="办理模式">{item.modes.map((m) => MODE_ZH[m] ?? m).join('、')}</td>
                <td data-label="承诺时限" class="nowrap">
                  {item.promisedDays} 个工作日
                </td>
                <td data-label="状态" class="nowrap">
                  <span class={STATUS_TAG[item.status] ?? 'tag'}>
                    {ITEM_STATUS_ZH[item.status] ?? item.status}
                  </span>
                </td>
                <td data-label="收件" class="num">
                  {f?.received ?? 0}
                </td>
                <td data-label="在办" class="num">
                  {f?.open ?? 0}
                </td>
                <td data-label="办结" class="num">
                  {f?.concluded ?? 0}
                </td>
                <td data-label="超期" class="num">
                  {f?.overdue ?? 0}
                </td>
                <td data-label="办结率" class="num">
                  {percent(f?.completionRate ?? null)}
                </td>
                <td data-label="变更状态" class="nowrap">
                  {moves.length === 0 && <span class="muted">—</span>}
                  {moves.map((to) => (
                    <form
                      method="post"
                      action={`/console/admin/items/${encodeURIComponent(item.code)}/status`}
                      class="inline"
                      {...(to === 'retired'
                        ? { 'data-confirm': `确定撤销事项「${item.name}」？撤销后不可恢复。` }
                        : {})}
                    >
                      <input type="hidden" name="_csrf" value={props.csrf} />
                      <input type="hidden" name="back" value={back} />
                      <button
                        type="submit"
                        name="status"
                        value={to}
                        class={to === 'retired' ? 'small danger' : 'small secondary'}
                        aria-label={`${itemMoveLabel(item.status, to)}：${item.name}`}
                      >
                        {itemMoveLabel(item.status, to)}
                      </button>
                    </form>
                  ))}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <p class="pager">
        {q.cursor && <a href={`/console/admin/items?${itemsQueryString(q, ['cursor'])}`}>回到第一页</a>}{' '}
        {props.nextCursor && (
          <a href={`/console/admin/items?${itemsQueryString({ ...q, cursor: props.nextCursor })}`} rel="next">
            下一页
          </a>
        )}
      </p>
    </Layout>
  )
}
