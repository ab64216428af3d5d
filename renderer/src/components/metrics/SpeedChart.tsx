/** Tokens per second, or time to the first token, per role over the session's turns. */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TurnPoint } from "../../../../shared/metrics.js";
import { roleColor } from "../../lib/rolePalette";
import { useRoleHue } from "../../lib/useRoleHue";
import { perRoleRows, speedSummary, type SpeedKey } from "../../lib/metricsSeries";
import type { swapSeqMarks } from "../../lib/metricsSeries";
import { ChartFigure } from "./ChartFigure";

const UNIT: Record<SpeedKey, string> = { tokensPerSec: "tok/s", ttftMs: "ms" };

/** `swaps`: where swaps fall between messages, marked as on the memory chart. */
export function SpeedChart({ turns, swaps, metric, title, tables }: { turns: TurnPoint[]; swaps: ReturnType<typeof swapSeqMarks>; metric: SpeedKey; title: string; tables: boolean }) {
  const { roles, rows } = perRoleRows(turns, metric);
  const roleHue = useRoleHue();
  return (
    <ChartFigure
      title={title}
      summary={speedSummary(turns, metric)}
      tables={tables}
      table={{ columns: ["message", "round", "role", UNIT[metric]], rows: turns.map((t) => [t.seq, t.round, t.role, t[metric] === null ? null : Math.round(t[metric] * 10) / 10]) }}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
          <XAxis dataKey="seq" type="number" domain={[(min: number) => Math.min(min, ...swaps.map((s) => s.seq)), "dataMax"]} allowDecimals={false} tick={{ fontSize: 11 }} label={{ value: "message", position: "insideBottomRight", offset: -2, fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={56} unit={metric === "ttftMs" ? " ms" : ""} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {roles.map((r) => (
            <Line key={r} type="monotone" dataKey={r} name={r} stroke={roleColor(roleHue(r))} strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          ))}
          {swaps.map((s, i) => (
            <ReferenceLine key={i} x={s.seq} stroke={s.ok ? "#c27c0e" : "#d93c3c"} strokeDasharray="3 3" label={{ value: `⇄ ${s.label}`, position: "insideTopLeft", fontSize: 10 }} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
