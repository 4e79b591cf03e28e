import { percent } from './admin-labels.js'

/** Horizontal bars of rates (0–1), one row each, drawn as SVG on the server. */
export function RateChart(props: {
  id: string
  title: string
  rows: { label: string; rate: number | null }[]
}) {
  const { id, title, rows } = props
  const W = 760
  const left = 150
  const right = 70
  const rowH = 30
  const H = Math.max(1, rows.length) * rowH + 30
  const plotW = W - left - right
  const summary = rows.map((r) => `${r.label} ${percent(r.rate)}`).join('，')
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
      <g class="gridlines">
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g>
            <line x1={left + t * plotW} x2={left + t * plotW} y1={8} y2={H - 20} />
            <text x={left + t * plotW} y={H - 6} text-anchor="middle">
              {`${t * 100}%`}
            </text>
          </g>
        ))}
      </g>
      {rows.length === 0 && (
        <text x={W / 2} y={H / 2} text-anchor="middle" class="empty">
          暂无数据
        </text>
      )}
      {rows.map((r, i) => {
        const yTop = 10 + i * rowH
        const w = (r.rate ?? 0) * plotW
        return (
          <g>
            <text x={left - 8} y={yTop + 15} text-anchor="end">
              {r.label}
            </text>
            <rect x={left} y={yTop + 3} width={Math.max(0, w)} height={rowH - 12} class="bar s0">
              <title>{`${r.label}：${percent(r.rate)}`}</title>
            </rect>
            <text x={left + w + 6} y={yTop + 15}>
              {percent(r.rate)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
