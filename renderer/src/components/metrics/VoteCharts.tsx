/** Vote and rating distributions: score histograms, and per role the ballots and first places won. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ScoreBucket, SessionMetrics } from "../../../../shared/metrics.js";
import { bucketLabel, histogramSummary } from "../../lib/metricsSeries";
import { ChartFigure } from "./ChartFigure";

function Histogram({ title, noun, buckets, total, tables, color }: { title: string; noun: string; buckets: ScoreBucket[]; total: number; tables: boolean; color: string }) {
  const rows = buckets.map((b) => ({ range: bucketLabel(b), count: b.count }));
  return (
    <ChartFigure title={title} summary={histogramSummary(noun, buckets, total)} tables={tables} table={{ columns: ["score", "count"], rows: rows.map((r) => [r.range, r.count]) }}>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
          <XAxis dataKey="range" tick={{ fontSize: 10 }} interval={0} angle={-30} textAnchor="end" height={44} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip />
          <Bar dataKey="count" name={noun} fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function VoteCharts({ metrics, tables }: { metrics: SessionMetrics; tables: boolean }) {
  const byRole = metrics.votes.byRole.map((r) => ({ role: r.role, votes: r.votes, firstPlaces: r.firstPlaces, meanScore: r.meanScore }));
  const summary =
    byRole.length === 0
      ? "No votes yet."
      : `Ballots per role: ${byRole.map((r) => `${r.role} ${r.votes} (first place ${r.firstPlaces}${r.meanScore === null ? "" : `, mean score ${r.meanScore.toFixed(2)}`})`).join("; ")}.`;
  return (
    <>
      <Histogram title="Vote scores" noun="votes" buckets={metrics.votes.scores} total={metrics.votes.total} tables={tables} color="#b4468f" />
      <ChartFigure
        title="Votes by role"
        summary={summary}
        tables={tables}
        table={{ columns: ["role", "ballots", "first places", "mean score"], rows: byRole.map((r) => [r.role, r.votes, r.firstPlaces, r.meanScore === null ? null : Math.round(r.meanScore * 100) / 100]) }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={byRole} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis dataKey="role" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="votes" name="ballots" fill="#8a55d6" isAnimationActive={false} />
            <Bar dataKey="firstPlaces" name="first places" fill="#1f9d55" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <Histogram title="Ratings" noun="ratings" buckets={metrics.ratings.scores} total={metrics.ratings.total} tables={tables} color="#0f8f8f" />
    </>
  );
}
