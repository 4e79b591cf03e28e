/**
 * A grouped bar chart drawn on the server as SVG: no script, no outside library, colours from
 * app.css classes (the CSP allows no inline style). The page shows the same numbers in a table.
 */
export interface BarSeries {
  name: string
  values: number[]
}

const W = 760
const H = 300
const M = { left: 52, right: 12, top: 40, bottom: 40 }
/** Series colours in app.css: .chart .s0 … .s5 */
const SERIES_CLASSES = 6

/** A step of 1, 2 or 5 × 10^k that cuts 0…max into at most ~5 parts. */
export function niceStep(max: number): number {
  if (max <= 5) return 1
  const raw = max / 5
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)
  return step ?? 10 * power
}

export function BarChart(props: {
  id: string
  title: string
  categories: string[]
  series: BarSeries[]
  unit?: string
}) {
  const { id, title, categories, series, unit = '' } = props
  const max = Math.max(0, ...series.flatMap((s) => s.values))
  const step = niceStep(max)
  const top = Math.max(step, Math.ceil(max / step) * step)
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const groupW = categories.length > 0 ? plotW / categories.length : plotW
  const barW = Math.max(2, Math.min(48, (groupW * 0.8) / Math.max(1, series.length)))
  const labelEvery = Math.ceil(categories.length / 12)
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step)
  const summary = series
    .map((s) => `${s.name}：${categories.map((c, i) => `${c} ${s.values[i] ?? 0}${unit}`).join('，')}`)
    .join('；')

  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary || '暂无数据'}</desc>
      <g class="legend">
        {series.map((s, i) => (
          <g>
            <rect x={M.left + i * 130} y={12} width={14} height={14} class={`s${i % SERIES_CLASSES}`} />
            <text x={M.left + i * 130 + 20} y={24}>
              {s.name}
            </text>
          </g>
        ))}
      </g>
      <g class="gridlines">
        {ticks.map((t) => (
          <g>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t) + 4} text-anchor="end">
              {t}
            </text>
          </g>
        ))}
      </g>
      {categories.length === 0 && (
        <text x={W / 2} y={H / 2} text-anchor="middle" class="empty">
          暂无数据
        </text>
      )}
      {categories.map((c, ci) => {
        const x0 = M.left + ci * groupW + (groupW - barW * series.length) / 2
        return (
          <g>
            {series.map((s, si) => {
              const v = s.values[ci] ?? 0
              return (
                <rect
                  x={x0 + si * barW}
                  y={y(v)}
                  width={Math.max(1, barW - 2)}
                  height={Math.max(0, M.top + plotH - y(v))}
                  class={`bar s${si % SERIES_CLASSES}`}
                >
                  <title>{`${c} ${s.name}：${v}${unit}`}</title>
                </rect>
              )
            })}
            {ci % labelEvery === 0 && (
              <text x={M.left + ci * groupW + groupW / 2} y={H - M.bottom + 18} text-anchor="middle">
                {c}
              </text>
            )}
          </g>
        )
      })}
      <line class="axis" x1={M.left} x2={W - M.right} y1={M.top + plotH} y2={M.top + plotH} />
    </svg>
  )
}
