import { parseArgs } from 'node:util'
import {
  agreementRequest,
  GatewayRefusal,
  isPartnerName,
  loadOrCreatePartnerKey,
  localEndpoint,
  ORIGINATOR_EVENTS,
  type OriginatorEvent,
  openPartner,
  PARTNERS,
  queryCase,
  sendOriginatorEvent,
  startSimulator,
  submitCase,
} from '../simulator/index.js'

/** `npm run partner -- <conghua|longmen> <command> [options]`: a partner county on the command line. */
const USAGE = `usage: npm run partner -- <conghua|longmen> <command> [options]

  agreement [--port N]                      print the agreement to register with POST /v1/agreements
  submit [--sample FILE | --generate] [--case-no NO]
                                            send a case (default: the mail marriage sample, fresh number)
  serve [--port N] [--auto-handle] [--fail-503 N] [--hang] [--bad-receipt] [--step-delay MS]
                                            serve {base}/cases and {base}/status on 127.0.0.1
  status --case NO --event <${ORIGINATOR_EVENTS.join('|')}> [--reason TEXT]
                                            send an originator's event for a case it submitted
  query --case NO                           ask the gateway where a case stands (signed query token)

  every command: [--gateway URL] (default $GATEWAY_URL or http://127.0.0.1:8080)
  keys and state: $DATA_DIR/partners/<name>/ (DATA_DIR default ./data)
  default ports: conghua ${PARTNERS.conghua.defaultPort}, longmen ${PARTNERS.longmen.defaultPort}`

const ALLOWED: Record<string, readonly string[]> = {
  agreement: ['port'],
  submit: ['sample', 'generate', 'case-no'],
  serve: ['port', 'auto-handle', 'fail-503', 'hang', 'bad-receipt', 'step-delay'],
  status: ['case', 'event', 'reason'],
  query: ['case'],
}

function usage(problem?: string): never {
  if (problem) console.error(`partner: ${problem}\n`)
  console.error(USAGE)
  process.exit(2)
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        gateway: { type: 'string' },
        port: { type: 'string' },
        sample: { type: 'string' },
        generate: { type: 'boolean' },
        'case-no': { type: 'string' },
        'auto-handle': { type: 'boolean' },
        'fail-503': { type: 'string' },
        hang: { type: 'boolean' },
        'bad-receipt': { type: 'boolean' },
        'step-delay': { type: 'string' },
        case: { type: 'string' },
        event: { type: 'string' },
        reason: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    return usage((err as Error).message)
  }
}

const { values, positionals } = parse()
if (values.help) usage()
const [name, command, ...extra] = positionals
if (!isPartnerName(name)) usage(name ? `unknown partner ${name}` : undefined)
if (!command || !Object.hasOwn(ALLOWED, command)) usage(command ? `unknown command ${command}` : 'no command')
if (extra.length > 0) usage(`unexpected ${extra.join(' ')}`)
const foreign = Object.keys(values).filter((k) => k !== 'gateway' && !ALLOWED[command]!.includes(k))
if (foreign.length > 0) usage(`${command} takes no --${foreign.join(', --')}`)

const whole = (flag: string, v: string | undefined, max: number): number | undefined => {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v) || Number(v) > max) usage(`--${flag} wants a whole number up to ${max}`)
  return Number(v)
}
const port = whole('port', values.port, 65535)
const stepDelayMs = whole('step-delay', values['step-delay'], 600_000)
const fail503 = whole('fail-503', values['fail-503'], 1_000_000)
if (values.sample && values.generate) usage('give --sample or --generate, not both')
if ((command === 'status' || command === 'query') && !values.case) usage(`${command} needs --case`)
const event = values.event as OriginatorEvent | undefined
if (command === 'status' && (!event || !ORIGINATOR_EVENTS.includes(event))) {
  usage(`--event wants one of ${ORIGINATOR_EVENTS.join(', ')}`)
}
const dataDir = process.env.DATA_DIR || './data'
const gatewayUrl = values.gateway ?? (process.env.GATEWAY_URL || 'http://127.0.0.1:8080')
if (!/^https?:\/\/[^/]+/.test(gatewayUrl)) usage('--gateway wants a URL such as http://127.0.0.1:8080')
const profile = PARTNERS[name]

try {
  if (command === 'agreement') {
    const key = await loadOrCreatePartnerKey(dataDir, name)
    if (key.created) console.error(`created key ${key.kid} in ${key.path}`)
    const endpoint = localEndpoint(port ?? profile.defaultPort)
    console.log(JSON.stringify(agreementRequest(profile, key.publicJwk, { endpoint }), null, 2))
  } else if (command === 'serve') {
    const sim = await startSimulator({
      partner: name,
      dataDir,
      gatewayUrl,
      port: port ?? profile.defaultPort,
      stepDelayMs: stepDelayMs ?? 1000,
      modes: {
        autoHandle: values['auto-handle'] ?? false,
        fail503: fail503 ?? 0,
        hang: values.hang ?? false,
        badReceipt: values['bad-receipt'] ?? false,
      },
    })
    const m = sim.modes
    const flags = [
      m.autoHandle && 'auto-handle',
      m.fail503 > 0 && `fail-503 ${m.fail503}`,
      m.hang && 'hang',
      m.badReceipt && 'bad-receipt',
    ].filter(Boolean)
    console.log(
      `[${profile.shortZh}] ${profile.nameZh} (${profile.region}, ${profile.format.id}) 模拟器已启动`,
    )
    console.log(`      ${profile.shortEn} simulator listening on ${sim.endpoint}  (key ${sim.env.key.kid})`)
    const modes = flags.length ? `; modes: ${flags.join(', ')}` : ''
    console.log(`      gateway ${gatewayUrl}, JWKS ${gatewayUrl}/.well-known/jwks.json${modes}`)
    const stop = () => void sim.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  } else {
    const env = await openPartner({ partner: name, dataDir, gatewayUrl })
    const caseNo = values.case as string
    if (command === 'submit') {
      await submitCase(env, {
        ...(values.sample ? { sample: values.sample } : {}),
        ...(values.generate ? { generate: true } : {}),
        ...(values['case-no'] ? { caseNo: values['case-no'] } : {}),
      })
    } else if (command === 'status') {
      const reason = values.reason ? { reason: values.reason } : {}
      await sendOriginatorEvent(env, { caseNo, event: event as OriginatorEvent, ...reason })
    } else {
      await queryCase(env, caseNo)
    }
  }
} catch (err) {
  console.error(`[${profile.shortZh}] ${explain(err)}`)
  process.exit(1)
}

function explain(err: unknown): string {
  if (err instanceof GatewayRefusal) {
    const errors = Array.isArray(err.problem?.errors) ? err.problem.errors : []
    return [`新丰县拒收 refused: ${err.message}`, ...errors.map((e) => `  ${JSON.stringify(e)}`)].join('\n')
  }
  const cause = (err as { cause?: { code?: unknown } }).cause?.code
  if (err instanceof Error && err.message === 'fetch failed') {
    return `cannot reach the gateway at ${gatewayUrl}${typeof cause === 'string' ? ` (${cause})` : ''}`
  }
  if ((err as { code?: unknown }).code === 'EADDRINUSE')
    return `port ${port ?? profile.defaultPort} is in use (--port N)`
  return err instanceof Error ? err.message : String(err)
}
