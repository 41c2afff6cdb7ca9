// A small multi-series line chart in plain SVG (counts per period), with a legend and integer y ticks.
export interface Series {
  name: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 240;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

function ticks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 4));
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

export function LineChart(props: { labels: string[]; series: Series[]; label: string }) {
  const { labels, series } = props;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const yTicks = ticks(max);
  const top = yTicks[yTicks.length - 1] || 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length > 1 ? (i * plotW) / (labels.length - 1) : plotW / 2);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil(labels.length / 8)); // at most ~8 x labels
  return (
    <figure class="line-chart">
      <ul class="line-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.name}>
            <span class="line-swatch" style={{ background: s.color }} />
            {s.name}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} data-testid="line-chart">
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class="line-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" class="line-axis">
              {t}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} x={x(i)} y={H - 8} text-anchor="middle" class="line-axis">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <g key={s.name}>
            <polyline points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} fill="none" stroke={s.color} stroke-width={2.5} />
            {s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color}>
                <title>{`${s.name}, ${labels[i]}: ${v}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}
