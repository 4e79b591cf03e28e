import type { PartnerDeliveryHealth } from '../../modules/outbox/delivery-health.js'
import type { StatsSummary } from '../../modules/stats/get-stats-summary.js'
import { ErrorBox, type ErrorView } from '../components/admin-form-errors.js'
import { percent } from '../components/admin-labels.js'
import { BarChart } from '../components/chart-bars.js'
import { RateChart } from '../components/chart-rates.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { PARTNER_ZH } from '../labels.js'
import { DeliveryHealthTable } from './admin-dead-letters.js'

export interface PartnerMonths {
  partner: string
  months: Map<string, number>
}

const partnerName = (region: string) => PARTNER_ZH[region] ?? region
const days = (n: number | null) => (n === null ? '—' : `${n} 个工作日`)

export function DashboardPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    from: string
    to: string
    summary: StatsSummary
    perPartner: PartnerMonths[]
    /** A clerk's own department (its figures are that department's only). */
    department?: string | undefined
    health?: PartnerDeliveryHealth[] | undefined
    error?: ErrorView | undefined
  },
) {
  const t = props.summary.totals
  const months = [...new Set(props.summary.byMonth.map((m) => m.month))].sort()
  const series = props.perPartner.map((p) => ({
    name: partnerName(p.partner),
    values: months.map((m) => p.months.get(m) ?? 0),
  }))
  const cards: [string, string][] = [
    ['收件', String(t.received)],
    ['在办', String(t.open)],
    ['超期', String(t.overdue)],
    ['已办结', String(t.concluded)],
    ['办结率', percent(t.completionRate)],
    ['按时办结率', percent(t.onTimeRate)],
    ['办结用时中位数', days(t.medianWorkingDays)],
  ]
  return (
    <Layout {...props} title="统计看板" current="/console/dashboard">
      {props.department && <p class="muted">以下为本部门（{props.department}）的办件数字。</p>}
      <ErrorBox view={props.error} />
      <form method="get" action="/console/dashboard" class="filters" aria-label="统计期间">
        <label>
          起始月份
          <input name="from" type="month" value={props.from} placeholder="2026-01" />
        </label>
        <label>
          截止月份
          <input name="to" type="month" value={props.to} placeholder="2026-12" />
        </label>
        <button type="submit">查看</button>
        <a href="/console/dashboard">全部期间</a>
      </form>

      <section aria-labelledby="h-totals">
        <h2 id="h-totals">总体</h2>
        <dl class="stats">
          {cards.map(([label, value]) => (
            <div class={label === '超期' && t.overdue > 0 ? 'stat alert' : 'stat'}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <p class="muted small">
          办结率 =（办结 + 不予受理）÷（收件 − 撤回）；按时办结率 = 承诺时限内办结 ÷
          办结；月份按收件时间（北京时间）。
        </p>
      </section>

      <section aria-labelledby="h-monthly">
        <h2 id="h-monthly">各合作方每月收件</h2>
        <div class="chart-pair">
          <BarChart
            id="chart-monthly"
            title="各合作方每月收件数"
            categories={months}
            series={series}
            unit=" 件"
          />
          <table>
            <caption class="sr-only">各合作方每月收件数</caption>
            <thead>
              <tr>
                <th>月份</th>
                {props.perPartner.map((p) => (
                  <th class="num">{partnerName(p.partner)}</th>
                ))}
                <th class="num">合计</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr>
                  <th scope="row">{m}</th>
                  {props.perPartner.map((p) => (
                    <td class="num">{p.months.get(m) ?? 0}</td>
                  ))}
                  <td class="num">{props.summary.byMonth.find((x) => x.month === m)?.received ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="h-partners">
        <h2 id="h-partners">各合作方办理情况</h2>
        <div class="chart-pair">
          <RateChart
            id="chart-rates"
            title="各合作方办结率"
            rows={props.summary.byPartner.map((p) => ({
              label: partnerName(p.partner),
              rate: p.completionRate,
            }))}
          />
          <table>
            <caption class="sr-only">各合作方办件数字</caption>
            <thead>
              <tr>
                <th>合作方</th>
                <th class="num">收件</th>
                <th class="num">在办</th>
                <th class="num">超期</th>
                <th class="num">办结</th>
                <th class="num">办结率</th>
                <th class="num">用时中位数</th>
              </tr>
            </thead>
            <tbody>
              {props.summary.byPartner.map((p) => (
                <tr>
                  <th scope="row">{partnerName(p.partner)}</th>
                  <td class="num">{p.received}</td>
                  <td class="num">{p.open}</td>
                  <td class="num">{p.overdue}</td>
                  <td class="num">{p.concluded}</td>
                  <td class="num">{percent(p.completionRate)}</td>
                  <td class="num">{days(p.medianWorkingDays)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {props.health && (
        <section aria-labelledby="h-delivery">
          <h2 id="h-delivery">发送状况（按合作方）</h2>
          <DeliveryHealthTable partners={props.health} id="h-delivery" />
          <p>
            <a href="/console/admin/dead-letters">查看死信</a>
          </p>
        </section>
      )}
    </Layout>
  )
}
