/**
 * `conclave leaderboard [--db FILE] [--source human|model|checker|baseline|all] [--json]`: models
 * ranked by Bradley–Terry over the stored pairwise outcomes, with bootstrap 95% intervals, the
 * win-rate matrix and how many more votes would separate the top two.
 */
import { parseArgs } from "node:util";
import { LeaderboardSource, type Leaderboard } from "../../shared/arena.js";
import { modelNameText } from "../../shared/names.js";
import { plural } from "../../shared/plural.js";
import { openEngineStore } from "../engine/openEngineStore.js";

/** Thrown for bad arguments; the CLI prints it with the usage text. */
export class LeaderboardUsageError extends Error {}

const pct = (v: number | null) => (v === null ? "  —  " : `${(v * 100).toFixed(0).padStart(3)}% `);

/** The leaderboard as a text table. */
export function formatLeaderboard(board: Leaderboard): string {
  if (board.entries.length === 0) return `no ${board.source === "all" ? "" : `${board.source} `}pairwise outcomes recorded yet\n`;
  const lines = [`${plural(board.outcomes, "outcome")} (${board.source}), Bradley–Terry ratings with ${board.resamples}-resample bootstrap 95% intervals`, ""];
  const width = Math.max(5, ...board.entries.map((e) => modelNameText(e.model).length));
  lines.push(`  #  ${"model".padEnd(width)}  rating   95% interval    W/L/T        games  fingerprint`);
  board.entries.forEach((e, i) => {
    lines.push(
      `${String(i + 1).padStart(3)}  ${modelNameText(e.model).padEnd(width)}  ${e.rating.toFixed(0).padStart(6)}  [${e.ci95[0].toFixed(0)}, ${e.ci95[1].toFixed(0)}]`.padEnd(width + 32) +
        `${e.wins}/${e.losses}/${e.ties}`.padEnd(13) + `${String(e.games).padStart(5)}  ${e.model.fingerprint.slice(0, 20)}`,
    );
  });
  lines.push("", "win rate of row over column (ties half):");
  lines.push(`     ${board.entries.map((_, j) => `#${j + 1}`.padStart(5)).join("")}`);
  board.winRates.forEach((row, i) => lines.push(`  #${String(i + 1).padEnd(2)}${row.map(pct).join("")}`));
  const s = board.separation;
  if (s) {
    lines.push("");
    if (s.separated) lines.push(`#1 ${modelNameText(s.first)} and #2 ${modelNameText(s.second)} are separated (gap ${s.gap.toFixed(0)} ± ${(1.96 * s.standardError).toFixed(0)}).`);
    else if (s.moreVotes === null) lines.push(`#1 ${modelNameText(s.first)} and #2 ${modelNameText(s.second)} are level: no number of votes separates them yet.`);
    else lines.push(`about ${plural(s.moreVotes, "more vote")} to separate #1 ${modelNameText(s.first)} from #2 ${modelNameText(s.second)} (gap ${s.gap.toFixed(0)}, standard error ${s.standardError.toFixed(0)}).`);
  }
  return `${lines.join("\n")}\n`;
}

/** Runs the command; `dbDefault` is the CLI's default database. Resolves to the exit code. */
export async function leaderboardCommand(args: string[], dbDefault: string, write: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, source: { type: "string" }, json: { type: "boolean" } } });
  const source = LeaderboardSource.safeParse(values.source ?? "all");
  if (!source.success) throw new LeaderboardUsageError(`--source must be one of ${LeaderboardSource.options.join(", ")}`);
  const store = openEngineStore(values.db ?? dbDefault);
  try {
    const board = await store.arena.leaderboard(source.data);
    if (values.json) {
      // The ranking first, under the name the command has; the rest as the RPC returns it.
      const { entries, ...rest } = board;
      write(`${JSON.stringify({ leaderboard: entries, ...rest }, null, 2)}\n`);
    } else {
      write(formatLeaderboard(board));
    }
    return 0;
  } finally {
    store.close();
  }
}
