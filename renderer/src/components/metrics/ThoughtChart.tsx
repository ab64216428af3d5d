/** Thought tokens beside answer tokens per role, and time spent thinking (reasoning models). */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TurnPoint } from "../../../../shared/metrics.js";
import { thoughtSummary, thoughtTotals } from "../../lib/metricsSeries";
import { ChartFigure } from "./ChartFigure";

export function ThoughtChart({ turns, tables }: { turns: TurnPoint[]; tables: boolean }) {
  const totals = thoughtTotals(turns);
  return (
    <ChartFigure
      title="Thought and answer tokens by role"
      summary={thoughtSummary(turns)}
      tables={tables}
      table={{
        columns: ["role", "answer tokens", "thought tokens", "thinking s", "turns with a thought"],
        rows: totals.map((t) => [t.role, t.answerTokens, t.thoughtTokens, Math.round(t.thoughtMs / 100) / 10, t.thinkingTurns]),
      }}
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={totals} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
          <XAxis dataKey="role" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={56} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="answerTokens" name="answer tokens" stackId="t" fill="hsl(210 60% 50%)" isAnimationActive={false} />
          <Bar dataKey="thoughtTokens" name="thought tokens" stackId="t" fill="hsl(280 40% 60%)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
