import type { DecisionBucket } from "../report.ts";

const SERIES = [
  { key: "allow", label: "Allowed", fill: "fill-emerald-500", swatch: "bg-emerald-500" },
  { key: "deny", label: "Denied", fill: "fill-rose-500", swatch: "bg-rose-500" },
  { key: "monitor", label: "Monitored", fill: "fill-amber-400", swatch: "bg-amber-400" },
] as const;

const WIDTH = 720;
const HEIGHT = 200;
const AXIS = 28;

function bucketLabel(iso: string, bucket: "hour" | "day"): string {
  const date = new Date(iso);
  return bucket === "hour"
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString([], { month: "short", day: "numeric" });
}

/**
 * Decisions per bucket as stacked bars drawn in SVG, so the chart needs no library and nothing
 * from another origin. Screen readers get the same numbers from the table that follows it.
 */
export function TrafficChart({
  items,
  bucket,
}: {
  items: DecisionBucket[];
  bucket: "hour" | "day";
}) {
  const max = Math.max(1, ...items.map((i) => i.allow + i.deny + i.monitor));
  const slot = (WIDTH - AXIS) / Math.max(1, items.length);
  const bar = Math.max(2, slot * 0.7);
  const scale = (n: number) => (n / max) * (HEIGHT - 20);

  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        className="h-auto w-full text-slate-400"
        aria-hidden="true"
        data-testid="traffic-chart"
      >
        <line x1={AXIS} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-current" />
        <text x={0} y={12} className="fill-current text-[10px]">
          {max}
        </text>
        {items.map((item, index) => {
          let top = HEIGHT;
          const x = AXIS + index * slot + (slot - bar) / 2;
          return (
            <g key={item.bucket}>
              {SERIES.map((series) => {
                const height = scale(item[series.key]);
                top -= height;
                return height > 0 ? (
                  <rect
                    key={series.key}
                    x={x}
                    y={top}
                    width={bar}
                    height={height}
                    className={series.fill}
                  />
                ) : null;
              })}
              {index % Math.ceil(items.length / 8) === 0 ? (
                <text x={x} y={HEIGHT + 14} className="fill-current text-[10px]">
                  {bucketLabel(item.bucket, bucket)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-slate-600 dark:text-slate-300">
        {SERIES.map((series) => (
          <span key={series.key} className="flex items-center gap-1">
            <span className={`inline-block h-2.5 w-2.5 rounded-sm ${series.swatch}`} />
            {series.label}
          </span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>Decisions per {bucket}</caption>
        <thead>
          <tr>
            <th scope="col">{bucket === "hour" ? "Hour" : "Day"}</th>
            {SERIES.map((series) => (
              <th key={series.key} scope="col">
                {series.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.bucket}>
              <th scope="row">{bucketLabel(item.bucket, bucket)}</th>
              {SERIES.map((series) => (
                <td key={series.key}>{item[series.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A ranked list with a bar per row proportional to its count; the count is always written. */
export function BarList({
  label,
  rows,
}: {
  label: string;
  rows: { key: string; name: string; count: number }[];
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <ol aria-label={label} className="flex flex-col gap-1.5 text-sm">
      {rows.map((row) => (
        <li key={row.key} className="relative rounded px-2 py-1">
          <span
            aria-hidden="true"
            className="absolute inset-y-0 left-0 rounded bg-sky-100 dark:bg-sky-900/60"
            style={{ width: `${(row.count / max) * 100}%` }}
          />
          <span className="relative flex justify-between gap-3">
            <span className="truncate font-mono text-xs">{row.name}</span>
            <span className="tabular-nums">{row.count}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
