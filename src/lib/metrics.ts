/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, histograms, and gauges
 * read at scrape time. Label values come from our own code (route patterns, partner regions,
 * outcome codes), never raw request text, so cardinality stays bounded.
 */
type Labels = Record<string, string>

const key = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map(
      (k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',')

const line = (name: string, labels: string, value: number) => `${name}${labels ? `{${labels}}` : ''} ${value}`

export class Counter {
  private readonly values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels)
    this.values.set(k, (this.values.get(k) ?? 0) + by)
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values].map(([k, v]) => line(this.name, k, v)),
    ]
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels)
    let s = this.series.get(k)
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(k, s)
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] ?? 0) + 1
    }
    s.sum += value
    s.count += 1
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : ''
      for (const [i, b] of this.buckets.entries())
        out.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`)
      out.push(
        `${this.name}_bucket{${sep}le="+Inf"} ${s.count}`,
        line(`${this.name}_sum`, k, s.sum),
        line(`${this.name}_count`, k, s.count),
      )
    }
    return out
  }
}

export interface GaugeSample {
  labels?: Labels
  value: number
}

export function createMetrics() {
  const gauges: { name: string; help: string; collect(): Promise<GaugeSample[]> }[] = []
  const metrics = {
    httpRequests: new Counter('kytb_http_requests_total', 'HTTP requests by route pattern and status'),
    httpDuration: new Histogram(
      'kytb_http_request_duration_seconds',
      'HTTP request duration by route pattern',
    ),
    intake: new Counter(
      'kytb_exchange_messages_total',
      'Exchange messages received, by partner, type and outcome',
    ),
    deliveries: new Counter(
      'kytb_delivery_attempts_total',
      'Delivery attempts to partners, by partner and result',
    ),
    intakeBatches: new Histogram(
      'kytb_intake_batch_cases',
      'New delegated cases written per intake transaction (group commit)',
      [1, 2, 4, 8, 16, 32, 64],
    ),
    /** A value computed when Prometheus scrapes (queue depth, pool state). */
    gauge(name: string, help: string, collect: () => Promise<GaugeSample[]>) {
      gauges.push({ name, help, collect })
    },
    async render(): Promise<string> {
      const lines = [
        metrics.httpRequests,
        metrics.httpDuration,
        metrics.intake,
        metrics.deliveries,
        metrics.intakeBatches,
      ].flatMap((m) => m.render())
      for (const g of gauges) {
        lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`)
        for (const s of await g.collect()) lines.push(line(g.name, key(s.labels ?? {}), s.value))
      }
      return `${lines.join('\n')}\n`
    },
  }
  return metrics
}

export type Metrics = ReturnType<typeof createMetrics>
