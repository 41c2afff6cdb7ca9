// A 240° ring gauge drawn in plain SVG: the value is a dash along the same arc as the track, so a live
// update only changes one attribute (no chart library, nothing to dispose or resize).
const R = 48;
const CX = 60;
const CY = 58;
// The arc runs clockwise from 210° (lower left) over the top to -30° (lower right).
const START = point(210);
const END = point(-30);
const ARC = `M ${START} A ${R} ${R} 0 1 1 ${END}`;

function point(degrees: number): string {
  const a = (degrees * Math.PI) / 180;
  return `${(CX + R * Math.cos(a)).toFixed(2)} ${(CY - R * Math.sin(a)).toFixed(2)}`;
}

export function utilizationColor(ratio: number): string {
  if (ratio >= 0.9) return "#b42318";
  if (ratio >= 0.7) return "#b45309";
  return "#0f766e";
}

/** `ratio` is clamped to 0–1; `label` says the number for screen readers (the picture is role="img"). */
export function Gauge(props: { ratio: number; label: string }) {
  const ratio = Number.isFinite(props.ratio) ? Math.max(0, Math.min(1, props.ratio)) : 0;
  const value = Math.round(ratio * 100);
  return (
    <svg class="gauge-svg" viewBox="0 0 120 96" role="img" aria-label={props.label} data-testid="gauge-svg" data-value={value}>
      <path d={ARC} class="gauge-track" pathLength={100} />
      {value > 0 && (
        <path
          d={ARC}
          class="gauge-value"
          pathLength={100}
          stroke={utilizationColor(ratio)}
          stroke-dasharray={`${value} 100`}
          data-testid="gauge-arc"
        />
      )}
      <text x={CX} y={CY + 8} class="gauge-text" text-anchor="middle">
        {value}%
      </text>
    </svg>
  );
}
