import type { getCase } from '../../modules/cases/get-case.js'
import { PREVIEWABLE } from '../../modules/cases/get-material.js'
import type { CaseResult, CorrectionItem, Party } from '../../modules/formats/canonical.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import {
  beijingTime,
  DELIVERY_METHOD_ZH,
  DELIVERY_ZH,
  EVENT_ZH,
  ID_TYPE_ZH,
  maskId,
  OUTCOME_ZH,
  PARTNER_ZH,
  STATE_ZH,
} from '../labels.js'
import { actionTitle, CaseActions, type FailedAction } from './case-actions.js'

export type CaseDetail = Awaited<ReturnType<typeof getCase>>
/** An event with the details its canonical status carried (getCase spreads them in). */
type CaseEvent = CaseDetail['events'][number] & {
  reason?: string
  promisedDate?: string
  handler?: { dept?: string; name?: string }
  correction?: CorrectionItem[]
  result?: CaseResult
  materials?: { id: string; code: string; name: string; file: { name: string } }[]
}

const CLOCK_ZH: Record<string, string> = {
  not_started: '未开始计时（受理后起算）',
  running: '计时中',
  paused: '暂停计时（补正或特别程序中）',
  ended: '已停止计时',
}

const FINAL_STATE_TAG: Record<string, string> = {
  concluded: 'green',
  delivered: 'green',
  rejected: 'red',
  withdrawn: 'red',
  correction_requested: 'amber',
  suspended: 'amber',
}

/** The notice after a successful post (`?ok=`). */
export function okNotice(ok: string | undefined): string | undefined {
  if (!ok) return undefined
  if (ok === 'created') return '代收件已创建，正在发送给对方。'
  return EVENT_ZH[ok] ? `已记录“${actionTitle(ok)}”，正在发送给对方。` : undefined
}

const sizeText = (n: number) =>
  n < 1024
    ? `${n} 字节`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`

const actorText = (actor: string) =>
  actor.startsWith('user:')
    ? `经办人 ${actor.slice(5)}`
    : actor.startsWith('partner:')
      ? `${PARTNER_ZH[actor.slice(8)] ?? actor.slice(8)}系统`
      : '网关'

export function CasePage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    detail: CaseDetail
    csrf: string
    failed?: FailedAction | undefined
  },
) {
  const d = props.detail
  const partner = PARTNER_ZH[d.partner] ?? d.partner
  const events = d.events as CaseEvent[]
  const lastCorrection = [...events].reverse().find((e) => e.type === 'correction_requested')
  return (
    <Layout {...props} title={`办件 ${d.caseNo}`}>
      <p class="crumbs">
        <a href="/console">← 返回收件箱</a>
      </p>
      <div class="case-layout">
        <div class="case-main">
          <section class="card" aria-labelledby="h-summary">
            <h2 id="h-summary">基本信息</h2>
            <dl class="kv">
              <dt>办件编号</dt>
              <dd>{d.caseNo}</dd>
              <dt>{d.direction === 'inbound' ? '对方办件编号' : '对方受理编号'}</dt>
              <dd>{d.partnerCaseNo ?? '—'}</dd>
              <dt>来源 / 去向</dt>
              <dd>
                {d.direction === 'inbound' ? `${partner}转来（本方办理）` : `本地代收，送${partner}办理`}
              </dd>
              <dt>事项</dt>
              <dd>
                {d.item.name}
                <span class="muted"> （{d.item.code ?? d.item.partnerCode}）</span>
              </dd>
              <dt>状态</dt>
              <dd>
                <span class={`tag ${FINAL_STATE_TAG[d.state] ?? ''}`}>{STATE_ZH[d.state] ?? d.state}</span>
                {d.overdue && <span class="tag red">已超期</span>}
              </dd>
              <dt>收件时间</dt>
              <dd>{beijingTime(d.receivedAt)}</dd>
              <dt>承诺办结日期</dt>
              <dd>{d.promisedDate ?? '—（受理后确定）'}</dd>
              <dt>剩余工作日</dt>
              <dd>
                {d.overdue ? (
                  <span class="tag red">已超期</span>
                ) : d.workingDaysLeft !== null ? (
                  `${d.workingDaysLeft} 个工作日`
                ) : (
                  (CLOCK_ZH[d.clock] ?? '—')
                )}
              </dd>
              {d.mode && (
                <>
                  <dt>办理模式</dt>
                  <dd>{MODE_ZH[d.mode] ?? d.mode}</dd>
                </>
              )}
              {d.window && (
                <>
                  <dt>收件窗口</dt>
                  <dd>
                    {d.window.name}
                    {d.clerk ? `（${d.clerk.name}）` : ''}
                  </dd>
                </>
              )}
            </dl>
          </section>

          <div class="grid">
            <PartyCard title="申请人" party={d.applicant} kind={d.applicant.kind} />
            {d.agent ? <PartyCard title="代理人" party={d.agent} /> : null}
            <section class="card" aria-labelledby="h-delivery">
              <h2 id="h-delivery">送达</h2>
              <dl class="kv">
                <dt>送达方式</dt>
                <dd>{DELIVERY_METHOD_ZH[d.delivery.method] ?? d.delivery.method}</dd>
                {d.delivery.recipient && (
                  <>
                    <dt>收件人</dt>
                    <dd>{d.delivery.recipient}</dd>
                  </>
                )}
                {d.delivery.mobile && (
                  <>
                    <dt>联系电话</dt>
                    <dd>{d.delivery.mobile}</dd>
                  </>
                )}
                {d.delivery.address && (
                  <>
                    <dt>地址</dt>
                    <dd>{d.delivery.address}</dd>
                  </>
                )}
              </dl>
            </section>
          </div>

          {(d.form && Object.keys(d.form).length > 0) || d.remark ? (
            <section class="card" aria-labelledby="h-form">
              <h2 id="h-form">表单与备注</h2>
              <dl class="kv">
                {Object.entries(d.form ?? {}).map(([k, v]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </>
                ))}
                {d.remark && (
                  <>
                    <dt>备注</dt>
                    <dd>{d.remark}</dd>
                  </>
                )}
              </dl>
            </section>
          ) : null}

          <section aria-labelledby="h-materials">
            <h2 id="h-materials">材料（{d.materials.length}）</h2>
            <Materials caseNo={d.caseNo} materials={d.materials} />
          </section>
        </div>

        <div class="case-side">
          <section aria-labelledby="h-actions">
            <h2 id="h-actions">办理操作</h2>
            <CaseActions
              caseNo={d.caseNo}
              csrf={props.csrf}
              allowed={d.allowedEvents}
              deliveryMethod={d.delivery.method}
              failed={props.failed}
              lastCorrection={
                lastCorrection?.correction?.map((r) => ({
                  code: r.code,
                  name: r.name,
                  note: '',
                })) ?? undefined
              }
            />
          </section>
          <section aria-labelledby="h-timeline">
            <h2 id="h-timeline">办理记录</h2>
            <ol class="timeline">
              {events.map((e) => (
                <TimelineEntry caseNo={d.caseNo} event={e} partner={partner} />
              ))}
            </ol>
          </section>
        </div>
      </div>
    </Layout>
  )
}

const MODE_ZH: Record<string, string> = { online: '全程网办', proxy: '异地代收代办', joint: '多地联办' }

function PartyCard({ title, party, kind }: { title: string; party: Party; kind?: 'person' | 'org' }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <dl class="kv">
        <dt>{kind === 'org' ? '单位名称' : '姓名'}</dt>
        <dd>{party.name}</dd>
        {kind && (
          <>
            <dt>类型</dt>
            <dd>{kind === 'org' ? '法人或其他组织' : '自然人'}</dd>
          </>
        )}
        <dt>证件类型</dt>
        <dd>{ID_TYPE_ZH[party.idType] ?? party.idType}</dd>
        <dt>证件号码</dt>
        <dd class="mono">{maskId(party.idNumber)}</dd>
        <dt>手机号码</dt>
        <dd>{party.mobile}</dd>
        {party.address && (
          <>
            <dt>地址</dt>
            <dd>{party.address}</dd>
          </>
        )}
      </dl>
    </section>
  )
}

function Materials({ caseNo, materials }: { caseNo: string; materials: CaseDetail['materials'] }) {
  if (materials.length === 0) return <p class="muted">没有材料。</p>
  return (
    <ul class="materials">
      {materials.map((m) => {
        const href = `/console/cases/${caseNo}/materials/${m.id}`
        const preview = PREVIEWABLE.has(m.mediaType)
        return (
          <li class="card">
            <div class="material-head">
              <strong>{m.name}</strong>
              <span class="muted">（{m.code}）</span>
              <span class={m.original ? 'tag amber' : 'tag'}>{m.original ? '原件' : '复印件/电子件'}</span>
              {m.eventId && <span class="tag">补正材料</span>}
            </div>
            <p class="material-file">
              <span class="file-name">{m.fileName}</span>
              <span class="muted"> · {sizeText(m.size)}</span>
            </p>
            <p class="material-links">
              <a href={href} download={m.fileName}>
                下载
              </a>
              {preview && (
                <a href={`${href}?inline=1`} target="_blank" rel="noopener">
                  在新窗口预览
                </a>
              )}
            </p>
            {m.mediaType.startsWith('image/') && preview && (
              <img
                class="preview"
                src={`${href}?inline=1`}
                alt={`${m.name}（${m.fileName}）预览`}
                loading="lazy"
              />
            )}
          </li>
        )
      })}
    </ul>
  )
}

function TimelineEntry({ caseNo, event: e, partner }: { caseNo: string; event: CaseEvent; partner: string }) {
  const ours = e.side === 'ours'
  const { handler, correction, result, materials } = e
  return (
    <li class={ours ? 'ours' : 'theirs'}>
      <p class="event-head">
        <span class={ours ? 'tag side-ours' : 'tag side-theirs'}>{ours ? '本方' : `对方（${partner}）`}</span>{' '}
        <strong>{EVENT_ZH[e.type] ?? e.type}</strong> <time datetime={e.at}>{beijingTime(e.at)}</time>
      </p>
      <dl class="kv small">
        <dt>经办</dt>
        <dd>
          {handler?.dept || handler?.name
            ? [handler.dept, handler.name].filter(Boolean).join(' ')
            : actorText(e.actor)}
        </dd>
        {typeof e.reason === 'string' && e.reason && (
          <>
            <dt>理由或意见</dt>
            <dd>{e.reason}</dd>
          </>
        )}
        {typeof e.promisedDate === 'string' && (
          <>
            <dt>承诺办结日期</dt>
            <dd>{e.promisedDate}</dd>
          </>
        )}
        {correction?.length ? (
          <>
            <dt>补正清单</dt>
            <dd>
              <ul class="plain">
                {correction.map((c) => (
                  <li>
                    {c.name}（{c.code}）{c.note ? `：${c.note}` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {result && (
          <>
            <dt>办结结果</dt>
            <dd>
              {OUTCOME_ZH[result.outcome] ?? result.outcome}
              {result.documentName ? `，${result.documentName}` : ''}
              {result.documentNo ? ` ${result.documentNo}` : ''}
            </dd>
            {result.waybill && (
              <>
                <dt>运单</dt>
                <dd>
                  {result.waybill.carrier} {result.waybill.number}
                </dd>
              </>
            )}
          </>
        )}
        {materials?.length ? (
          <>
            <dt>材料</dt>
            <dd>
              <ul class="plain">
                {materials.map((m) => (
                  <li>
                    {m.name}（{m.code}）：
                    <a href={`/console/cases/${caseNo}/materials/${m.id}`} download={m.file.name}>
                      {m.file.name}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {ours && (
          <>
            <dt>发送</dt>
            <dd>
              <DeliveryState delivery={e.delivery} />
            </dd>
          </>
        )}
      </dl>
    </li>
  )
}

function DeliveryState({ delivery }: { delivery: CaseEvent['delivery'] }) {
  if (!delivery) return <span class="muted">—</span>
  const d = delivery as {
    status: string
    attempts: number
    deliveredAt: string | null
    lastError: string | null
    nextAttemptAt: string | null
  }
  const label = DELIVERY_ZH[d.status] ?? d.status
  switch (d.status) {
    case 'delivered':
      return (
        <span class="tag green">
          {label}（{beijingTime(d.deliveredAt)}）
        </span>
      )
    case 'retrying':
      return (
        <span>
          <span class="tag amber">{label}</span> 已尝试 {d.attempts} 次
          {d.nextAttemptAt ? `，下次 ${beijingTime(d.nextAttemptAt)}` : ''}
          {d.lastError && <span class="muted error-text">；最近错误：{d.lastError}</span>}
        </span>
      )
    case 'dead':
      return (
        <span>
          <span class="tag red">{label}</span> 已尝试 {d.attempts} 次，请联系管理员处理
          {d.lastError && <span class="muted error-text">；最近错误：{d.lastError}</span>}
        </span>
      )
    default:
      return <span class="tag">{label}</span>
  }
}
