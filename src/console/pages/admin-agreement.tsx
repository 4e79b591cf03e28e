import {
  AGREEMENT_STATUS_MOVES,
  type Agreement,
  type AgreementVersion,
  type PublicJwk,
} from '../../modules/agreements/model.js'
import type { Item } from '../../modules/catalog/model.js'
import { ErrorBox, type ErrorView } from '../components/admin-form-errors.js'
import {
  AGREEMENT_ACTIONS,
  AGREEMENT_CHANGE_ZH,
  formatLabel,
  numericDate,
} from '../components/admin-labels.js'
import { JwksField } from '../components/jwks-field.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { AGREEMENT_STATUS_ZH, beijingTime } from '../labels.js'
import { STATUS_TAG } from './admin-agreements.js'

/** One agreement: what it says, its keys and items, the moves its status allows, and its history. */
export function AgreementPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    agreement: Agreement
    versions: AgreementVersion[]
    items: Map<string, Item>
    error?: ErrorView | undefined
    jwks?: string | undefined
  },
) {
  const a = props.agreement
  const moves = AGREEMENT_STATUS_MOVES[a.status]
  const actions = AGREEMENT_ACTIONS.filter((x) => moves.includes(x.to))
  const inbound = a.items.flatMap((i) => (i.direction === 'inbound' ? [i] : []))
  const outbound = a.items.flatMap((i) => (i.direction === 'outbound' ? [i] : []))
  return (
    <Layout {...props} title={`协议：${a.partner.name}`} current="/console/admin/agreements">
      <p>
        <a href="/console/admin/agreements">返回协议列表</a>
      </p>
      <ErrorBox view={props.error} />
      <div class="grid">
        <section class="card" aria-labelledby="h-summary">
          <h2 id="h-summary">协议内容</h2>
          <dl class="kv">
            <dt>合作方</dt>
            <dd>
              {a.partner.name}（{a.partner.region}）
            </dd>
            <dt>状态</dt>
            <dd>
              <span class={STATUS_TAG[a.status] ?? 'tag'}>{AGREEMENT_STATUS_ZH[a.status] ?? a.status}</span>
            </dd>
            <dt>报文格式</dt>
            <dd>{formatLabel(a.format)}</dd>
            <dt>对方接口地址</dt>
            <dd class="wrap">
              <code>{a.endpoint}</code>
            </dd>
            <dt>有效期</dt>
            <dd>
              {a.validFrom} 至 {a.validUntil}
            </dd>
            <dt>报文大小上限</dt>
            <dd>{(a.maxPayloadBytes / 1024 / 1024).toFixed(2).replace(/\.?0+$/, '')} MB</dd>
            <dt>当前版本</dt>
            <dd>{a.version}</dd>
            <dt>创建 / 更新</dt>
            <dd>
              {beijingTime(a.createdAt)} / {beijingTime(a.updatedAt)}
            </dd>
            <dt>协议编号</dt>
            <dd class="wrap">
              <code>{a.id}</code>
            </dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="h-actions">
          <h2 id="h-actions">状态操作</h2>
          {actions.length === 0 ? (
            <p class="muted">协议已终止，不能再变更。</p>
          ) : (
            <div class="button-row">
              {actions.map((x) => (
                <form
                  method="post"
                  action={`/console/admin/agreements/${a.id}/${x.action}`}
                  data-confirm={x.confirm}
                  class="inline"
                >
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <button type="submit" class={x.action === 'terminate' ? 'danger' : undefined}>
                    {x.label}
                  </button>
                </form>
              ))}
            </div>
          )}
          <p class="muted small">
            草稿 → 生效 / 终止；生效 ⇄ 暂停；终止后不可恢复。同一合作方只能有一个生效协议。
          </p>
        </section>
      </div>

      <h2 id="h-keys">对方签名公钥</h2>
      <KeyTable keys={a.keys.keys} />
      {a.status !== 'terminated' && (
        <details class="card" open={props.jwks !== undefined}>
          <summary>更换公钥（密钥轮换）</summary>
          <p class="muted small">
            新的 JWKS 整体替换现有公钥。无缝轮换时请同时提交新旧两个公钥：旧公钥带 exp，新公钥带 nbf。
          </p>
          <form
            method="post"
            action={`/console/admin/agreements/${a.id}/keys`}
            enctype="multipart/form-data"
            data-confirm="确定用新的 JWKS 替换该协议的全部公钥？"
          >
            <input type="hidden" name="_csrf" value={props.csrf} />
            <JwksField id="rotate" value={props.jwks ?? ''} legend="新的公钥集合" />
            <p>
              <button type="submit">更换公钥</button>
            </p>
          </form>
        </details>
      )}

      <h2>收件事项（{inbound.length}）</h2>
      {inbound.length === 0 ? (
        <p class="muted">无。</p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th>事项名称</th>
              <th>实施编码</th>
              <th>对方事项编码</th>
            </tr>
          </thead>
          <tbody>
            {inbound.map((i) => (
              <tr>
                <td data-label="事项名称">{props.items.get(i.itemCode)?.name ?? '（目录中未找到）'}</td>
                <td data-label="实施编码">
                  <code>{i.itemCode}</code>
                </td>
                <td data-label="对方事项编码">
                  <code>{i.partnerItemCode}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>代收事项（{outbound.length}）</h2>
      {outbound.length === 0 ? (
        <p class="muted">无。</p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th>对方事项编码</th>
              <th>事项名称</th>
              <th>承诺时限（工作日）</th>
            </tr>
          </thead>
          <tbody>
            {outbound.map((i) => (
              <tr>
                <td data-label="对方事项编码">
                  <code>{i.partnerItemCode}</code>
                </td>
                <td data-label="事项名称">{i.name}</td>
                <td data-label="承诺时限" class="num">
                  {i.promisedDays}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="h-versions">版本历史</h2>
      <table class="responsive" aria-labelledby="h-versions">
        <thead>
          <tr>
            <th>版本</th>
            <th>变更</th>
            <th>操作人</th>
            <th>时间</th>
            <th>当时的状态与公钥</th>
          </tr>
        </thead>
        <tbody>
          {[...props.versions].reverse().map((v) => (
            <tr>
              <td data-label="版本" class="num">
                {v.version}
              </td>
              <td data-label="变更">{AGREEMENT_CHANGE_ZH[v.change] ?? v.change}</td>
              <td data-label="操作人">{v.changedBy}</td>
              <td data-label="时间">{beijingTime(v.changedAt)}</td>
              <td data-label="当时的状态与公钥">
                {AGREEMENT_STATUS_ZH[v.snapshot.status] ?? v.snapshot.status}；
                {v.snapshot.keys.keys.map((k) => (
                  <code class="kid">{k.kid}</code>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

function KeyTable({ keys }: { keys: PublicJwk[] }) {
  return (
    <table class="responsive">
      <thead>
        <tr>
          <th>kid</th>
          <th>算法</th>
          <th>类型</th>
          <th>启用时间（nbf）</th>
          <th>失效时间（exp）</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr>
            <td data-label="kid">
              <code>{k.kid}</code>
            </td>
            <td data-label="算法">{k.alg}</td>
            <td data-label="类型">
              {k.kty} {k.crv}
            </td>
            <td data-label="启用时间">{k.nbf === undefined ? '不限' : numericDate(k.nbf)}</td>
            <td data-label="失效时间">{k.exp === undefined ? '不限' : numericDate(k.exp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
