import type { PartnerDeliveryHealth } from '../../modules/outbox/delivery-health.js'
import type { DeadLetter } from '../../modules/outbox/list-dead-letters.js'
import { duration, TYP_ZH } from '../components/admin-labels.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { beijingTime, PARTNER_ZH } from '../labels.js'

const partnerName = (region: string) => PARTNER_ZH[region] ?? region

/** Delivery figures per partner, from the outbox as it is now (delivery-health.ts). */
export function DeliveryHealthTable(props: { partners: PartnerDeliveryHealth[]; id?: string }) {
  if (props.partners.length === 0) return <p class="muted">还没有发往合作方的消息。</p>
  return (
    <table class="responsive" aria-labelledby={props.id}>
      <thead>
        <tr>
          <th>合作方</th>
          <th class="num">待发送</th>
          <th class="num">其中重试中</th>
          <th>最久等待</th>
          <th class="num">发送尝试</th>
          <th class="num">失败尝试</th>
          <th class="num">已送达</th>
          <th class="num">死信</th>
          <th>最近送达</th>
        </tr>
      </thead>
      <tbody>
        {props.partners.map((p) => (
          <tr class={p.deadLetters > 0 ? 'overdue' : undefined}>
            <td data-label="合作方">
              {partnerName(p.partner)}（{p.partner}）
            </td>
            <td data-label="待发送" class="num">
              {p.pending}
            </td>
            <td data-label="其中重试中" class="num">
              {p.retrying}
            </td>
            <td data-label="最久等待">{duration(p.oldestPendingAgeSeconds)}</td>
            <td data-label="发送尝试" class="num">
              {p.attempts}
            </td>
            <td data-label="失败尝试" class="num">
              {p.failedAttempts}
            </td>
            <td data-label="已送达" class="num">
              {p.delivered}
            </td>
            <td data-label="死信" class="num">
              {p.deadLetters}
            </td>
            <td data-label="最近送达">{p.lastDeliveredAt ? beijingTime(p.lastDeliveredAt) : '从未'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function DeadLettersPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    partner: string
    letters: DeadLetter[]
    health: PartnerDeliveryHealth[]
  },
) {
  const withDead = props.health.filter((p) => p.deadLetters > 0)
  return (
    <Layout {...props} title="死信" current="/console/admin/dead-letters">
      <p class="muted">
        死信是多次发送失败后放弃的消息。重新发送沿用原消息编号（jti）和内容，对方可据此去重。
      </p>
      <h2 id="h-health">发送状况（按合作方）</h2>
      <DeliveryHealthTable partners={props.health} id="h-health" />
      {withDead.length > 0 && (
        <div class="button-row">
          {withDead.map((p) => (
            <form
              method="post"
              action="/console/admin/dead-letters/resend"
              class="inline"
              data-confirm={`确定重新发送${partnerName(p.partner)}的全部 ${p.deadLetters} 条死信？`}
            >
              <input type="hidden" name="_csrf" value={props.csrf} />
              <input type="hidden" name="partner" value={p.partner} />
              <button type="submit">
                重发{partnerName(p.partner)}的全部死信（{p.deadLetters}）
              </button>
            </form>
          ))}
        </div>
      )}

      <h2 id="h-letters">死信列表</h2>
      <form method="get" action="/console/admin/dead-letters" class="filters" aria-label="按合作方筛选">
        <label>
          合作方
          <select name="partner">
            <option value="">全部</option>
            {props.health.map((p) => (
              <option value={p.partner} selected={props.partner === p.partner}>
                {partnerName(p.partner)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">筛选</button>
      </form>
      {props.letters.length === 0 ? (
        <p class="muted">没有死信。</p>
      ) : (
        <table class="responsive" aria-labelledby="h-letters">
          <thead>
            <tr>
              <th>合作方</th>
              <th>办件</th>
              <th>类型</th>
              <th class="num">尝试次数</th>
              <th>最后错误</th>
              <th>产生时间</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {props.letters.map((d) => (
              <tr>
                <td data-label="合作方">{partnerName(d.partner)}</td>
                <td data-label="办件">
                  {d.caseNo ? <a href={`/console/cases/${d.caseNo}`}>{d.caseNo}</a> : '—'}
                  {d.caseSeq !== null && <span class="muted">（第 {d.caseSeq} 条）</span>}
                </td>
                <td data-label="类型">
                  {TYP_ZH[d.typ] ?? d.typ}
                  <br />
                  <code class="muted small">{d.jti}</code>
                </td>
                <td data-label="尝试次数" class="num">
                  {d.attempts}
                </td>
                <td data-label="最后错误" class="wrap">
                  {d.lastError ?? '—'}
                </td>
                <td data-label="产生时间">{beijingTime(d.createdAt)}</td>
                <td data-label="操作">
                  <form method="post" action={`/console/admin/dead-letters/${d.id}/resend`} class="inline">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <button type="submit" class="small" aria-label={`重新发送 ${d.jti}`}>
                      重新发送
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
