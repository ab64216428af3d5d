/**
 * The Results view's charts (recharts): accuracy of the committee against the same-budget baseline,
 * the paired accuracy delta with its 95% interval, tokens per task on both sides, and calibration
 * (Brier score and ECE) per model. Each has a one-line summary and, with "Show tables", its numbers.
 */
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { EvalResults } from "../../../../shared/evalResults.js";
import {
  accuracyRows,
  accuracySummary,
  calibrationEmpty,
  calibrationRows,
  calibrationSummary,
  deltaRow,
  deltaSummary,
  tokenRows,
  tokensSummary,
} from "../../lib/resultsSeries";
import { ChartFigure } from "../metrics/ChartFigure";

const COMMITTEE = "hsl(220 65% 55%)";
const BASELINE = "hsl(30 80% 55%)";

export function ResultsCharts({ results, tables }: { results: EvalResults; tables: boolean }) {
  const accuracy = accuracyRows(results);
  const delta = deltaRow(results);
  const tokens = tokenRows(results);
  const calibration = calibrationRows(results);
  const span = delta ? Math.max(10, Math.ceil(Math.max(Math.abs(delta.lo), Math.abs(delta.hi)) / 10) * 10) : 100;
  return (
    <div className="chart-grid">
      <ChartFigure
        title="Accuracy: committee against baseline"
        summary={accuracySummary(results)}
        tables={tables}
        table={{ columns: ["system", "accuracy %", "correct", "checked"], rows: accuracy.map((a) => [a.name, a.accuracy, a.correct, a.checked]) }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={accuracy} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={48} />
            <Tooltip />
            <Bar dataKey="accuracy" name="accuracy %" fill={COMMITTEE} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        title="Accuracy delta with 95% interval"
        summary={deltaSummary(results)}
        tables={tables}
        table={{ columns: ["delta (points)", "95% low", "95% high", "McNemar p"], rows: delta ? [[delta.delta, Math.round(delta.lo * 10) / 10, Math.round(delta.hi * 10) / 10, results.mcnemar?.p ?? null]] : [] }}
      >
        <ResponsiveContainer width="100%" height={120}>
          <BarChart data={delta ? [delta] : []} layout="vertical" margin={{ top: 8, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} opacity={0.4} />
            <XAxis type="number" domain={[-span, span]} unit=" pts" tick={{ fontSize: 11 }} allowDataOverflow />
            <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} />
            <ReferenceLine x={0} stroke="var(--text, #222)" />
            <Tooltip />
            <Bar dataKey="delta" name="delta (points)" fill={COMMITTEE} barSize={18} isAnimationActive={false}>
              <ErrorBar dataKey="interval" width={6} strokeWidth={2} stroke="var(--text, #222)" direction="x" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        title="Tokens per task"
        summary={tokensSummary(results)}
        tables={tables}
        table={{ columns: ["task", "committee", "baseline"], rows: tokens.map((t) => [t.task, t.committee, t.baseline]) }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={tokens} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="task" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} width={56} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="committee" name="committee" fill={COMMITTEE} isAnimationActive={false} />
            <Bar dataKey="baseline" name="baseline" fill={BASELINE} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        title="Calibration by model"
        summary={calibrationSummary(results)}
        tables={tables}
        table={{ columns: ["model", "Brier", "ECE", "answers"], rows: calibration.map((c) => [c.model, c.brier, c.ece, c.n]) }}
        empty={calibrationEmpty(results)}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={calibration} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="model" tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 1]} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="brier" name="Brier score" fill={COMMITTEE} isAnimationActive={false} />
            <Bar dataKey="ece" name="ECE" fill={BASELINE} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
    </div>
  );
}
