import type { StoredKey } from '../../modules/trust/keys/keyring.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { beijingTime } from '../labels.js'

export type KeyState = 'active' | 'pending' | 'retired'

const STATE_ZH: Record<KeyState, [string, string]> = {
  active: ['生效', 'tag green'],
  pending: ['待生效（已公布）', 'tag amber'],
  retired: ['已停用', 'tag'],
}

export const keyState = (k: StoredKey, now: Date): KeyState =>
  k.retiredAt ? 'retired' : new Date(k.activatesAt) <= now ? 'active' : 'pending'

export function KeysPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    keys: StoredKey[]
    now: Date
    /** GATEWAY_KEY_FILE is set: the key comes from a PEM file, rotation happens there. */
    fromPemFile: boolean
    overlapHours: number
  },
) {
  const states = props.keys.map((k) => ({ key: k, state: keyState(k, props.now) }))
  // The newest active key signs (keyring.ts signingKey).
  const signing = states
    .filter((s) => s.state === 'active')
    .sort((a, b) => b.key.activatesAt.localeCompare(a.key.activatesAt))[0]?.key.kid
  return (
    <Layout {...props} title="网关密钥" current="/console/admin/keys">
      <p>
        网关用这些密钥签发回执、状态事件和审计检查点。合作方从{' '}
        <a href="/.well-known/jwks.json">
          <code>/.well-known/jwks.json</code>
        </a>{' '}
        获取公钥（待生效和生效的密钥都会公布）。
      </p>
      <table class="responsive">
        <caption class="sr-only">网关签名密钥</caption>
        <thead>
          <tr>
            <th>kid</th>
            <th>算法</th>
            <th>状态</th>
            <th>开始签名时间</th>
            <th>创建时间</th>
            <th>停用时间</th>
          </tr>
        </thead>
        <tbody>
          {states.map(({ key, state }) => (
            <tr>
              <td data-label="kid">
                <code>{key.kid}</code>
                {key.kid === signing && <span class="tag green">当前签名</span>}
              </td>
              <td data-label="算法">{key.alg}</td>
              <td data-label="状态">
                <span class={STATE_ZH[state][1]}>{STATE_ZH[state][0]}</span>
              </td>
              <td data-label="开始签名时间">{beijingTime(key.activatesAt)}</td>
              <td data-label="创建时间">{beijingTime(key.createdAt)}</td>
              <td data-label="停用时间">{key.retiredAt ? beijingTime(key.retiredAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>轮换步骤</h2>
      {props.fromPemFile ? (
        <p class="notice">
          本网关的签名密钥来自 <code>GATEWAY_KEY_FILE</code> 指定的 PEM
          文件，须在该文件处更换，控制台不能轮换。
        </p>
      ) : (
        <>
          <ol class="steps">
            <li>
              生成新密钥：在服务器上运行 <code>npm run keys:rotate</code>
              （或使用下面的按钮）。新密钥立即公布，
              {props.overlapHours} 小时后（<code>KEY_ROTATION_OVERLAP_HOURS</code>
              ）开始签名，让合作方先取到它。
            </li>
            <li>
              查看状态：<code>npm run keys:rotate -- --list</code>。运行中的网关几秒内就会读到密钥文件的变化。
            </li>
            <li>
              合作方都已改用新密钥后，停用旧密钥：<code>npm run keys:rotate -- --retire 旧的kid</code>
              。停用后不再公布，私钥销毁，公钥保留用于校验旧的审计检查点。
            </li>
          </ol>
          <form
            method="post"
            action="/console/admin/keys/rotate"
            data-confirm={`确定生成新的网关签名密钥？它将立即公布，${props.overlapHours} 小时后开始签名。`}
          >
            <input type="hidden" name="_csrf" value={props.csrf} />
            <button type="submit">生成新密钥（轮换）</button>
          </form>
        </>
      )}
    </Layout>
  )
}
