/** Memory over the session: the engine's estimate, the measured memory (the engine's one measure) and the budget, with swap markers. */
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SessionMetrics } from "../../../../shared/metrics.js";
import { memoryRows, memorySummary, swapMarks } from "../../lib/metricsSeries";
import { ChartFigure } from "./ChartFigure";

export function MemoryChart({ metrics, tables }: { metrics: SessionMetrics; tables: boolean }) {
  const rows = memoryRows(metrics);
  const swaps = swapMarks(metrics);
  // A budget of many GB flattens models of a few hundred MB: scale to the models unless asked.
  const [toBudget, setToBudget] = useState(false);
  const modelsPeak = Math.max(0, ...rows.map((r) => Math.max(r.estimatedMb, r.measuredMb)));
  const budget = rows.at(-1)?.budgetMb ?? 0;
  const domainMax = toBudget || modelsPeak === 0 ? Math.ceil(Math.max(budget, modelsPeak) * 1.05) : Math.ceil(modelsPeak * 1.2);
  return (
    <ChartFigure
      title="Memory over time"
      controls={
        <label className="check small">
          <input type="checkbox" checked={toBudget} onChange={(e) => setToBudget(e.target.checked)} />
          Scale to the budget{!toBudget && budget > domainMax ? ` (${Math.round(budget).toLocaleString("en-US")} MB, above this scale)` : ""}
        </label>
      }
      summary={memorySummary(metrics)}
      tables={tables}
      table={{
        columns: ["seconds", "estimate MB", "measured MB", "budget MB", "swap"],
        rows: [
          ...rows.map((r) => [r.t, r.estimatedMb, r.measuredMb, r.budgetMb, null]),
          ...swaps.map((s) => [s.t, null, null, null, `${s.label}${s.ok ? "" : " (failed)"}`]),
        ].sort((a, b) => Number(a[0]) - Number(b[0])),
      }}
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={rows} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tick={{ fontSize: 11 }} unit=" s" />
          <YAxis tick={{ fontSize: 11 }} width={72} unit=" MB" domain={[0, domainMax]} allowDataOverflow />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="stepAfter" dataKey="estimatedMb" name="estimate" stroke="#7d9bf7" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="measuredMb" name="measured" stroke="#3b6cf6" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="budgetMb" name="budget" stroke="#8b95a3" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          {swaps.map((s, i) => (
            <ReferenceLine key={i} x={s.t} stroke={s.ok ? "#c27c0e" : "#d93c3c"} strokeDasharray="3 3" label={{ value: `⇄ ${s.label}`, position: "insideTopLeft", fontSize: 10 }} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
