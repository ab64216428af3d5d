/** What the Leaderboard says when it has nothing to rank, per outcome source, and why. */
import type { Leaderboard, LeaderboardSource } from "../../../shared/arena.js";
import { plural } from "./format.js";

const HOW: Record<LeaderboardSource, string> = {
  all: "vote in Compare (a pick, a tie or both bad), run a committee that votes, or run an evaluation.",
  human: "vote in Compare (a pick, a tie or both bad).",
  model: "run a committee whose protocol votes.",
  checker: "run an evaluation whose tasks have a model-free check.",
  baseline: "run an evaluation whose committee and same-budget baseline use different model files.",
};

/** The empty board's sentence: none recorded, or only outcomes of a file against itself. */
export function emptyBoardText(board: Pick<Leaderboard, "source" | "sameModel">): string {
  if (board.sameModel > 0) {
    return `${plural(board.sameModel, "outcome")} recorded, each of a model file against itself (a committee and its baseline on one file): they are preference data for export and rank no model. To rank models, ${HOW[board.source]}`;
  }
  return `No outcomes yet: ${HOW[board.source]}`;
}
