import { useId } from 'react';
import './campaign-screens.css';

export interface ChartPoint {
  label: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD_TOP = 8;
const PAD_BOTTOM = 24;

/**
 * A bar chart drawn as SVG by React. Geometry goes in SVG attributes and colours in the stylesheet's classes, so the
 * page needs no inline style under its CSP (see the console README). Bars below zero (a loss) hang under the axis.
 * The figures are also in a table beside it, which is what screen readers get.
 */
export function BarChart({ title, points, format }: { title: string; points: ChartPoint[]; format: (value: number) => string }) {
  const id = useId();
  const max = Math.max(0, ...points.map((point) => point.value));
  const min = Math.min(0, ...points.map((point) => point.value));
  // All zero: the axis at the bottom, as for a chart of counts.
  const top = max === 0 && min === 0 ? 1 : max;
  const span = top - min;
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const y = (value: number) => PAD_TOP + ((top - value) / span) * plot;
  const slot = WIDTH / Math.max(points.length, 1);
  // Narrow bars even for a few rows: one row is a bar, not a wall.
  const bar = Math.max(2, Math.min(slot * 0.7, 48));
  // Every label when they fit, else about 8 of them.
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${points.map((point) => `${point.label} ${format(point.value)}`).join(', ') || 'no data'}`}>
        <line className="chart-axis" x1={0} x2={WIDTH} y1={y(0)} y2={y(0)} />
        {points.map((point, index) => (
          <g key={`${point.label}-${index}`}>
            <rect
              className={point.value < 0 ? 'chart-bar chart-bar-negative' : 'chart-bar'}
              x={index * slot + (slot - bar) / 2}
              y={Math.min(y(point.value), y(0))}
              width={bar}
              height={Math.max(Math.abs(y(point.value) - y(0)), point.value === 0 ? 0 : 1)}
            >
              <title>{`${point.label}: ${format(point.value)}`}</title>
            </rect>
            {index % labelEvery === 0 ? (
              <text className="chart-label" x={index * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle">
                {point.label.length > 12 ? `${point.label.slice(0, 11)}…` : point.label}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <p className="chart-range">
        {points.length === 0 ? 'No data in this period.' : `Highest ${format(max)}${min < 0 ? `, lowest ${format(min)}` : ''}.`}
      </p>
    </figure>
  );
}
