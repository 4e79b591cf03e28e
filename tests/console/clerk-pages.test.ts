import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFormat } from '../../src/modules/formats/registry.js'
import { formatBeijing } from '../../src/modules/formats/shared/times.js'
import { type ConsoleSession, consoleSignIn } from '../helpers/console.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../helpers/partners.js'

/** The clerk's console pages driven through app.request with a real console session. */
let gw: TestGateway
let longmen: TestPartner
let caseNo: string
let huangli: ConsoleSession
let other: ConsoleSession

const APPLICANT_ID = '44132419850615002X'
const AGENT_ID = '11010519491231002X'

/** A fresh Longmen case (the contract sample, under its own case number). */
async function newCase(suffix: string): Promise<string> {
  const bytes = longmen
    .sample('case-person-mail.json')
    .toString('utf8')
    .replaceAll('LM2026112800017', `LM2026112800017${suffix}`)
  const res = await longmen.send('cases', bytes)
  expect(res.status).toBe(201)
  return (await readReceipt(gw, await res.text())).receipt.caseNo as string
}

/** The case as the API sees it (events, state), read by an administrator. */
async function apiCase(no: string) {
  const res = await gw.request(`/v1/cases/${no}`, { token: await gw.adminToken() })
  return (await res.json()) as {
    state: string
    events: { side: string; type: string }[]
    materials: { id: string; mediaType: string; fileName: string }[]
  }
}

const summaries = (html: string) => [...html.matchAll(/<summary>([^<]*)<\/summary>/g)].map((m) => m[1])

beforeAll(async () => {
  gw = await createTestGateway()
  await gw.clerkToken('MZJ', 'huangli')
  await gw.clerkToken('GAJ', 'zhaoliu')
  longmen = await registerPartner(gw, 'longmen')
  caseNo = await newCase('')
  huangli = await consoleSignIn(gw, 'huangli', CLERK_PASSWORD)
  other = await consoleSignIn(gw, 'zhaoliu', CLERK_PASSWORD)
})
afterAll(() => gw?.close())

describe('case page', () => {
  it('shows the case to a clerk of its department: summary, people, materials, timeline', async () => {
    const res = await huangli.get(`/console/cases/${caseNo}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const text of [
      caseNo,
      'LM2026112800017',
      '内地居民婚姻登记',
      '已接件',
      '承诺办结日期',
      '张三',
      '李四',
      '邮寄',
      '惠州市龙门县龙城街道 8 号',
      '申请人已现场核验身份',
      '居民身份证',
      'sfz.pdf',
      'hkb.txt',
      '本方',
      '待发送',
    ]) {
      expect(html, text).toContain(text)
    }
    const { materials } = await apiCase(caseNo)
    const pdf = materials.find((m) => m.mediaType === 'application/pdf')
    expect(html).toContain(`href="/console/cases/${caseNo}/materials/${pdf?.id}?inline=1"`)
    expect(html).not.toMatch(/<script>|style="/)
  })

  it('masks identity numbers but their last four', async () => {
    const html = await (await huangli.get(`/console/cases/${caseNo}`)).text()
    expect(html).not.toContain(APPLICANT_ID)
    expect(html).not.toContain(AGENT_ID)
    expect(html).toContain(`**************${APPLICANT_ID.slice(-4)}`)
    expect(html).toContain(`**************${AGENT_ID.slice(-4)}`)
  })

  it('gives a clerk of another department the same 404 page as a case that does not exist', async () => {
    const theirs = await other.get(`/console/cases/${caseNo}`)
    const missing = await other.get('/console/cases/XF-2026-999999')
    expect(theirs.status).toBe(404)
    expect(missing.status).toBe(404)
    const page = await theirs.text()
    expect(page).toBe(await missing.text())
    expect(page).toContain('办件不存在')
    expect(page).not.toContain('张三')
    const { materials } = await apiCase(caseNo)
    const file = await other.get(`/console/cases/${caseNo}/materials/${materials[0]?.id}`)
    expect(file.status).toBe(404)
    expect(await file.text()).toBe(page)
    const post = await other.postForm(`/console/cases/${caseNo}/events`, { type: 'accepted' })
    expect(post.status).toBe(404)
    expect((await apiCase(caseNo)).events).toHaveLength(1)
  })

  it('offers only the actions the state allows', async () => {
    const html = await (await huangli.get(`/console/cases/${caseNo}`)).text()
    expect(summaries(html)).toEqual(['受理', '不予受理', '补正告知（要求补正材料）'])
    expect(html).toContain(`action="/console/cases/${caseNo}/events"`)
    // Every field has its label.
    for (const [, id] of html.matchAll(/<(?:input|select|textarea)[^>]* id="([^"]+)"/g)) {
      expect(html, id).toContain(`for="${id}"`)
    }
  })

  it('serves a material through the session with the API’s headers', async () => {
    const { materials } = await apiCase(caseNo)
    const pdf = materials.find((m) => m.mediaType === 'application/pdf')
    const txt = materials.find((m) => m.mediaType === 'text/plain')
    const download = await huangli.get(`/console/cases/${caseNo}/materials/${pdf?.id}`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="sfz.pdf"/)
    expect(download.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
    expect((await download.arrayBuffer()).byteLength).toBe(63)
    const inline = await huangli.get(`/console/cases/${caseNo}/materials/${pdf?.id}?inline=1`)
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/)
    // Text is never shown inline from our origin.
    const text = await huangli.get(`/console/cases/${caseNo}/materials/${txt?.id}?inline=1`)
    expect(text.headers.get('content-disposition')).toMatch(/^attachment;/)
    const unknown = await huangli.get(
      `/console/cases/${caseNo}/materials/00000000-0000-0000-0000-000000000000`,
    )
    expect(unknown.status).toBe(404)
  })

  it('sends a visitor without a session to the sign-in page', async () => {
    const res = await gw.app.request(`/console/cases/${caseNo}`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/console\/login\?next=/)
  })
})

describe('case actions', () => {
  it('refuses a post without the form token, or from another origin, and records nothing', async () => {
    const no = await newCase('C')
    const bare = await huangli.postForm(`/console/cases/${no}/events`, { type: 'accepted' }, { csrf: false })
    expect(bare.status).toBe(403)
    expect(await bare.text()).toContain('请求来源无效')
    const wrong = await huangli.postForm(`/console/cases/${no}/events`, { type: 'accepted', _csrf: 'guess' })
    expect(wrong.status).toBe(403)
    const cross = await huangli.postForm(
      `/console/cases/${no}/events`,
      { type: 'accepted' },
      { origin: 'https://evil.example' },
    )
    expect(cross.status).toBe(403)
    const noOrigin = await huangli.postForm(
      `/console/cases/${no}/events`,
      { type: 'accepted' },
      { origin: null },
    )
    expect(noOrigin.status).toBe(403)
    const after = await apiCase(no)
    expect(after.state).toBe('received')
    expect(after.events).toHaveLength(1)
  })

  it('asks for a correction, then shows it in the timeline with its delivery state', async () => {
    const no = await newCase('Q')
    const res = await huangli.postForm(`/console/cases/${no}/events`, {
      type: 'correction_requested',
      reason: '户口簿缺户主页',
      'correction.code': ['M02', '', ''],
      'correction.name': ['户口簿', '', ''],
      'correction.note': ['需提供户主页', '', ''],
    })
    expect(res.status, await res.clone().text()).toBe(303)
    expect(res.headers.get('location')).toBe(`/console/cases/${no}?ok=correction_requested`)
    const html = await (await huangli.get(res.headers.get('location') as string)).text()
    expect(html).toContain('已记录“补正告知（要求补正材料）”')
    expect(html).toContain('待补正')
    expect(html).toContain('户口簿缺户主页')
    expect(html).toContain('户口簿（M02）：需提供户主页')
    expect(html.match(/待发送/g)?.length).toBe(2)
    // A correction can only be answered by the partner now: no action of ours but rejecting.
    expect(summaries(html)).toEqual(['不予受理'])
    expect((await apiCase(no)).events.map((e) => e.type)).toEqual(['received', 'correction_requested'])
  })

  it('shows what is missing in Chinese and keeps what was typed', async () => {
    const no = await newCase('V')
    const res = await huangli.postForm(`/console/cases/${no}/events`, {
      type: 'correction_requested',
      reason: '',
      'correction.code': ['M09', ''],
      'correction.name': ['', ''],
      'correction.note': ['请补充', ''],
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('请修改以下内容')
    expect(html).toContain('补正清单 · 第 1 行 · 材料名称</strong>：必填')
    expect(html).toMatch(
      /<details open="" id="ev-correction_requested">|<details id="ev-correction_requested" open/,
    )
    expect(html).toContain('value="M09"')
    expect(html).toContain('value="请补充"')
    expect((await apiCase(no)).events).toHaveLength(1)
  })

  it('says in Chinese when the state does not allow the step (409)', async () => {
    const no = await newCase('T')
    const res = await huangli.postForm(`/console/cases/${no}/events`, {
      type: 'concluded',
      'result.outcome': 'approved',
      'result.waybill.carrier': 'EMS',
      'result.waybill.number': '1180000000001',
    })
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('办件当前的状态不允许此操作')
  })

  it('requires the waybill for an approved conclusion sent by mail', async () => {
    const no = await newCase('W')
    expect(
      (await huangli.postForm(`/console/cases/${no}/events`, { type: 'accepted', reason: '材料齐全' }))
        .status,
    ).toBe(303)
    const res = await huangli.postForm(`/console/cases/${no}/events`, {
      type: 'concluded',
      'result.outcome': 'approved',
      'result.documentName': '结婚证',
      'result.documentNo': 'J440233-2026-000001',
    })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('邮寄送达且准予办结时，须填写快递公司和运单号')
    const ok = await huangli.postForm(`/console/cases/${no}/events`, {
      type: 'concluded',
      'result.outcome': 'approved',
      'result.documentName': '结婚证',
      'result.documentNo': 'J440233-2026-000001',
      'result.waybill.carrier': 'EMS',
      'result.waybill.number': '1180000000002',
    })
    expect(ok.status).toBe(303)
    const html = await (await huangli.get(`/console/cases/${no}`)).text()
    expect(html).toContain('已办结')
    expect(html).toContain('准予/出证，结婚证 J440233-2026-000001')
    expect(html).toContain('EMS 1180000000002')
    expect(summaries(html)).toEqual(['送达（结果已送达申请人）'])
  })
})

describe('outbound case form', () => {
  const PDF = new File([Buffer.from('%PDF-1.4\n% test\n')], '身份证.pdf', { type: 'application/pdf' })
  const valid = {
    partner: '441324',
    partnerItemCode: 'LONGMEN-OUT-1',
    'applicant.kind': 'person',
    'applicant.name': '陈七',
    'applicant.idType': 'resident_id',
    'applicant.idNumber': APPLICANT_ID,
    'applicant.mobile': '13800138001',
    'delivery.method': 'window',
    'materials.code': 'M01',
    'materials.name': '居民身份证',
    'materials.original': '0',
    'materials.carry': '',
    remark: '窗口代收',
  }

  it('offers the partners with an active agreement, then that partner’s outbound items', async () => {
    const first = await (await huangli.get('/console/cases/new')).text()
    expect(first).toContain('惠州市龙门县（441324）')
    expect(first).not.toContain('LONGMEN-OUT-1')
    const second = await huangli.get('/console/cases/new?partner=441324')
    expect(second.status).toBe(200)
    const html = await second.text()
    expect(html).toContain('value="LONGMEN-OUT-1"')
    expect(html).toContain('enctype="multipart/form-data"')
    expect((await huangli.get('/console/cases/new?partner=440117')).status).toBe(404)
  })

  it('shows each problem at its field in Chinese and keeps what was entered, the chosen file too', async () => {
    const res = await huangli.postForm('/console/cases/new', {
      ...valid,
      'applicant.idNumber': '441324198506150021',
      'applicant.mobile': '23800138001',
      'delivery.method': 'mail',
      'materials.file': PDF,
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('应为以 1 开头的 11 位数字')
    expect(html).toContain('value="陈七"')
    expect(html).toContain('value="23800138001"')
    expect(html).toContain('已上传：身份证.pdf')
    // The service's checks come next, once the request's shape is right.
    const second = await huangli.postForm('/console/cases/new', {
      ...valid,
      'applicant.idNumber': '441324198506150021',
      'delivery.method': 'mail',
      'materials.carry': (html.match(/name="materials.carry" value="([^"]+)"/)?.[1] ?? '').replaceAll(
        '&quot;',
        '"',
      ),
    })
    expect(second.status).toBe(422)
    const again = await second.text()
    expect(again).toContain('证件号码校验位不正确')
    expect(again).toContain('送达信息 · 收件人</strong>：必填')
    expect(again).toContain('aria-invalid="true"')
  })

  it('needs at least one material', async () => {
    const res = await huangli.postForm(
      '/console/cases/new',
      { ...valid, 'materials.code': '', 'materials.name': '' },
      { multipart: true },
    )
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('至少需要一份材料')
  })

  it('creates the case and opens its page', async () => {
    const png = new File([Buffer.from('89504e470d0a1a0a', 'hex')], '照片.png', { type: 'image/png' })
    const res = await huangli.postForm('/console/cases/new', {
      ...valid,
      'materials.code': ['M01', 'M03'],
      'materials.name': ['居民身份证', '照片'],
      'materials.original': ['0', '0'],
      'materials.carry': ['', ''],
      'materials.file': [PDF, png],
    })
    expect(res.status, await res.clone().text()).toBe(303)
    const location = res.headers.get('location') as string
    expect(location).toMatch(/^\/console\/cases\/XF-\d{4}-\d{6}\?ok=created$/)
    const html = await (await huangli.get(location)).text()
    expect(html).toContain('代收件已创建')
    expect(html).toContain('本地代收，送龙门县办理')
    expect(html).toContain('身份证.pdf')
    expect(html).toContain('已发送')
    // An image is previewed in the page, through the console's own material route.
    expect(html).toMatch(
      /<img class="preview" src="\/console\/cases\/XF-[\d-]+\/materials\/[0-9a-f-]{36}\?inline=1" alt="照片（照片.png）预览"/,
    )
    expect(summaries(html)).toEqual(['撤回'])
  })

  it('answers the partner’s correction request with files uploaded from the case page', async () => {
    const res = await huangli.postForm('/console/cases/new', { ...valid, 'materials.file': PDF })
    const ours = (res.headers.get('location') as string).replace(/^\/console\/cases\/|\?.*$/g, '')
    const format = getFormat(longmen.format)
    const at = (min: number) => formatBeijing(gw.clock.now().getTime() + min * 60_000)
    for (const status of [
      { caseNo: ours, peerCaseNo: 'LMH-0001', seq: 1, type: 'received' as const, occurredAt: at(1) },
      {
        caseNo: ours,
        peerCaseNo: 'LMH-0001',
        seq: 2,
        type: 'correction_requested' as const,
        occurredAt: at(2),
        reason: '缺户口簿',
        correction: [{ code: 'M02', name: '户口簿' }],
      },
    ]) {
      const sent = await longmen.send('status', format?.renderStatus(status) as Uint8Array)
      expect(sent.status, await sent.clone().text()).toBe(201)
    }
    gw.clock.advance(5 * 60_000)
    const page = await (await huangli.get(`/console/cases/${ours}`)).text()
    expect(summaries(page)).toEqual(['补正提交（上传补正材料）', '撤回'])
    // The rows start from what the partner asked for.
    expect(page).toContain(
      'id="ev-correction_submitted-materials-0-code" name="materials.code" type="text" value="M02"',
    )
    const bad = await huangli.postForm(
      `/console/cases/${ours}/events`,
      {
        type: 'correction_submitted',
        'materials.code': 'M02',
        'materials.name': '户口簿',
        'materials.carry': '',
      },
      { multipart: true },
    )
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('材料 · 第 1 行 · 文件</strong>：必填')
    const ok = await huangli.postForm(`/console/cases/${ours}/events`, {
      type: 'correction_submitted',
      'materials.code': 'M02',
      'materials.name': '户口簿',
      'materials.original': '0',
      'materials.carry': '',
      'materials.file': new File([Buffer.from('%PDF-1.4\n% hkb\n')], 'hkb.pdf', { type: 'application/pdf' }),
    })
    expect(ok.status, await ok.clone().text()).toBe(303)
    const after = await (await huangli.get(`/console/cases/${ours}`)).text()
    expect(after).toContain('已补正')
    expect(after).toMatch(/补正材料<\/span>/)
    expect(after).toContain('户口簿（M02）：<a')
  })
})
