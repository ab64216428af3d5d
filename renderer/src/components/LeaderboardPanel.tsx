/**
 * "Leaderboard": models ranked by Bradley–Terry over the stored pairwise outcomes (human compare votes,
 * committee ballots, checker and baseline results), each rating with its bootstrap 95% interval drawn
 * as an error bar (recharts), the records behind it, the win-rate matrix, and how many more votes
 * would separate the top two.
 */
import { useEffect, useMemo } from "react";
import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LeaderboardSource } from "../../../shared/arena.js";
import { plural } from "../lib/format";
import { emptyBoardText } from "../lib/leaderboardText";
import { useArenaModelName } from "../lib/arenaModelName";
import { useLeaderboard } from "../stores/leaderboardStore";

const SOURCE_LABELS: Record<LeaderboardSource, string> = {
  all: "All outcomes",
  human: "Human votes",
  model: "Committee ballots",
  checker: "Checker verdicts",
  baseline: "Committee vs baseline",
};

/** The Elo-like scale's mean: a model with no edge over the others rates 1000. */
const MEAN = 1000;

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

export function LeaderboardPanel() {
  const { source, board, loading, error, setSource, refresh } = useLeaderboard();
  const nameOf = useArenaModelName();
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const rows = useMemo(
    () =>
      (board?.entries ?? []).map((e, i) => ({
        name: `#${i + 1} ${nameOf(e.model)}`,
        rating: Math.round(e.rating),
        // Bars grow from the scale's mean (1000), not from the axis' edge, so their lengths mean
        // something: the chart plots the distance from 1000, and its axis labels add 1000 back.
        fromMean: Math.round(e.rating) - MEAN,
        interval: [e.rating - e.ci95[0], e.ci95[1] - e.rating],
        lo: Math.round(e.ci95[0]),
        hi: Math.round(e.ci95[1]),
      })),
    [board, nameOf],
  );
  const lo = Math.min(...rows.map((r) => r.lo), 1000);
  const hi = Math.max(...rows.map((r) => r.hi), 1000);
  const s = board?.separation ?? null;

  return (
    <section className="panel leaderboard" aria-label="Leaderboard">
      <header className="panel-head">
        <h2>Leaderboard</h2>
        <span className="muted small">Bradley–Terry ratings (Elo scale) with bootstrap 95% intervals</span>
        <span className="grow" />
        <label className="field inline">
          <span className="small">Outcomes</span>
          <select className="input" aria-label="Outcomes" value={source} onChange={(e) => void setSource(LeaderboardSource.parse(e.target.value))}>
            {LeaderboardSource.options.map((o) => (
              <option key={o} value={o}>{SOURCE_LABELS[o]}</option>
            ))}
          </select>
        </label>
        <button className="btn small" onClick={() => void refresh()} disabled={loading}>Refresh</button>
      </header>
      <div className="leaderboard-body">
        {error && <p className="error-text">{error}</p>}
        {board && board.entries.length === 0 && (
          <p className="muted pad" role="status">{emptyBoardText(board)}</p>
        )}
        {board && board.entries.length > 0 && (
          <>
            <figure className="leaderboard-chart" aria-label="Ratings with 95% intervals">
              <ResponsiveContainer width="100%" height={Math.max(120, 40 * rows.length + 40)}>
                <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" domain={[Math.floor((lo - 25) / 50) * 50 - MEAN, Math.ceil((hi + 25) / 50) * 50 - MEAN]} tickFormatter={(v: number) => String(v + MEAN)} allowDataOverflow />
                  <YAxis type="category" dataKey="name" width={170} />
                  <Tooltip formatter={(_value, _name, item) => [`${(item.payload as { rating: number }).rating} (95%: ${(item.payload as { lo: number }).lo}–${(item.payload as { hi: number }).hi})`, "rating"]} />
                  <ReferenceLine x={0} stroke="var(--muted, #888)" />
                  <Bar dataKey="fromMean" name="rating" fill="var(--accent, #4f6bed)" isAnimationActive={false} barSize={18}>
                    <ErrorBar dataKey="interval" width={6} strokeWidth={2} stroke="var(--text, #222)" direction="x" />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
              <figcaption className="muted small">{plural(board.outcomes, "outcome")}, {plural(board.resamples, "bootstrap resample")}.</figcaption>
            </figure>
            <table className="table" aria-label="Ratings">
              <thead>
                <tr><th>#</th><th>Model</th><th>Rating</th><th>95% interval</th><th>W / L / T</th><th>Games</th></tr>
              </thead>
              <tbody>
                {board.entries.map((e, i) => (
                  <tr key={e.model.fingerprint}>
                    <td>{i + 1}</td>
                    <td title={e.model.fingerprint}>{nameOf(e.model)}</td>
                    <td>{Math.round(e.rating)}</td>
                    <td>{Math.round(e.ci95[0])} – {Math.round(e.ci95[1])}</td>
                    <td>{e.wins} / {e.losses} / {e.ties}</td>
                    <td>{e.games}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {board.entries.length > 1 && (
              <table className="table matrix" aria-label="Win rates">
                <caption className="muted small">Win rate of the row over the column (ties count half)</caption>
                <thead>
                  <tr><th />{board.entries.map((_, j) => <th key={j}>#{j + 1}</th>)}</tr>
                </thead>
                <tbody>
                  {board.winRates.map((row, i) => (
                    <tr key={i}><th>#{i + 1}</th>{row.map((v, j) => <td key={j}>{i === j ? "" : pct(v)}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            )}
            {s && (
              <p className="separation" role="note">
                {s.separated
                  ? `#1 ${nameOf(s.first)} and #2 ${nameOf(s.second)} are separated.`
                  : s.moreVotes === null
                    ? `#1 ${nameOf(s.first)} and #2 ${nameOf(s.second)} are level; no number of votes separates them yet.`
                    : `About ${plural(s.moreVotes, "more vote")} to separate #1 ${nameOf(s.first)} from #2 ${nameOf(s.second)}.`}
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
