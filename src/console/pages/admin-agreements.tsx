import type { Agreement } from '../../modules/agreements/model.js'
import { formatLabel } from '../components/admin-labels.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { AGREEMENT_STATUS_ZH } from '../labels.js'

export const STATUS_TAG: Record<string, string> = {
  draft: 'tag',
  active: 'tag green',
  suspended: 'tag amber',
  terminated: 'tag red',
}

/** Every agreement, by partner, newest first, with what identifies it at a glance. */
export function AgreementsPage(props: Omit<LayoutProps, 'title' | 'children'> & { agreements: Agreement[] }) {
  return (
    <Layout {...props} title="协议管理" current="/console/admin/agreements">
      <p>
        <a class="button" href="/console/admin/agreements/new">
          新建协议
        </a>
      </p>
      {props.agreements.length === 0 ? (
        <p class="muted">还没有协议。</p>
      ) : (
        <table class="responsive">
          <caption class="sr-only">互认互信协议</caption>
          <thead>
            <tr>
              <th>合作方</th>
              <th>报文格式</th>
              <th>状态</th>
              <th>有效期</th>
              <th>版本</th>
              <th>公钥 kid</th>
              <th>事项（收 / 发）</th>
            </tr>
          </thead>
          <tbody>
            {props.agreements.map((a) => (
              <tr>
                <td data-label="合作方">
                  <a href={`/console/admin/agreements/${a.id}`}>{a.partner.name}</a>
                  <span class="muted">（{a.partner.region}）</span>
                </td>
                <td data-label="报文格式">{formatLabel(a.format)}</td>
                <td data-label="状态">
                  <span class={STATUS_TAG[a.status] ?? 'tag'}>
                    {AGREEMENT_STATUS_ZH[a.status] ?? a.status}
                  </span>
                </td>
                <td data-label="有效期">
                  {a.validFrom} 至 {a.validUntil}
                </td>
                <td data-label="版本" class="num">
                  {a.version}
                </td>
                <td data-label="公钥 kid">
                  {a.keys.keys.map((k) => (
                    <code class="kid">{k.kid}</code>
                  ))}
                </td>
                <td data-label="事项（收 / 发）" class="num">
                  {a.items.filter((i) => i.direction === 'inbound').length} /{' '}
                  {a.items.filter((i) => i.direction === 'outbound').length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
