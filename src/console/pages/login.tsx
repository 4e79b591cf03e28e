import { Layout } from '../components/layout.js'

export function LoginPage(props: {
  csrf: string
  next: string
  expired?: boolean
  error?: string | undefined
}) {
  const notice = props.error
    ? { kind: 'error' as const, text: props.error }
    : props.expired
      ? { kind: 'error' as const, text: '登录已过期，请重新登录。' }
      : undefined
  return (
    <Layout title="登录" notice={notice}>
      <form method="post" action="/console/login" class="card narrow">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label for="username">用户名</label>
        <input id="username" name="username" autocomplete="username" required autofocus />
        <label for="password">密码</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p>
          <button type="submit">登录</button>
        </p>
      </form>
    </Layout>
  )
}
