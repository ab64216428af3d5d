/** Estimate vs measured vs budget on one bar: measured fills, the estimate is a marker. */
import { formatBytes } from "../lib/format";

interface Props {
  estimate: number;
  measured: number | null;
  budget: number;
  label: string;
}

/** Renders a meter whose scale is the budget (or the larger value if over budget). */
export function MemoryBar({ estimate, measured, budget, label }: Props) {
  const scale = Math.max(budget, estimate, measured ?? 0, 1);
  const pct = (v: number): string => `${Math.min(100, (v / scale) * 100).toFixed(2)}%`;
  const over = (measured ?? estimate) > budget;
  return (
    <div className="membar" title={`${label}: estimate ${formatBytes(estimate)}, measured ${formatBytes(measured)}, budget ${formatBytes(budget)}`}>
      <div
        className={`membar-track${over ? " over" : ""}`}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={budget}
        aria-valuenow={measured ?? estimate}
        aria-valuetext={`measured ${formatBytes(measured)} of ${formatBytes(budget)} budget (estimate ${formatBytes(estimate)})`}
      >
        <div className="membar-estimate" style={{ width: pct(estimate) }} />
        {measured !== null && <div className="membar-measured" style={{ width: pct(measured) }} />}
        <div className="membar-budget" style={{ left: pct(budget) }} />
      </div>
      <div className="membar-legend">
        <span><i className="dot est" />est {formatBytes(estimate)}</span>
        <span><i className="dot meas" />meas {formatBytes(measured)}</span>
        <span><i className="dot bud" />budget {formatBytes(budget)}</span>
      </div>
    </div>
  );
}
