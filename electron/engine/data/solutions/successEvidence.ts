/**
 * Whether a past session's result succeeded, and the evidence: only successes enter the solution
 * library. A result succeeded when
 *  - a checker passed it: an arena outcome with source `checker` that it won, or a committee-against-
 *    baseline outcome decided by a checker (`checker:…` judge) that it won or tied;
 *  - it won its session's vote (the strict leader over every counted ballot), or
 *  - it is rated 4 stars or more (the mean of each rater's latest rating is at least 0.75).
 * Negative evidence keeps a result out even beside a success: a checker that failed it, or a mean
 * rating under 4 stars. When the session's result has no evidence either way, its vote winner
 * (a roundtable's winning proposal, say) stands for it, on the same terms.
 */
import type { Message } from "../../../../shared/conversation.js";
import { scoreToStars } from "../../../../shared/ratings.js";
import type { SuccessBasis } from "../../../../shared/solutionLibrary.js";
import type { SessionStore } from "../store/sessionStore.js";
import type { VoteWin } from "../store/voteStore.js";

/** The evidence about one message. */
export interface Evidence {
  passed: SuccessBasis[];
  /** Each piece of evidence in words, for and against. */
  notes: string[];
  /** Set when some evidence says it failed. */
  failed: string | null;
}

/** A successful past result, ready to be offered. */
export interface Success {
  message: Message;
  basis: SuccessBasis[];
  evidence: string[];
}

/** What the store says about message `m` (`win`: its session's vote winner, when known). */
export function evidenceFor(store: SessionStore, m: Message, win: VoteWin | null): Evidence {
  const passed = new Set<SuccessBasis>();
  const notes: string[] = [];
  let failed: string | null = null;

  for (const o of store.pairwise.checkerVerdicts(m.id)) {
    const side = o.messageA === m.id ? "a" : "b";
    const won = o.winner === side || (o.source === "baseline" && o.winner === "tie");
    if (won) {
      passed.add("checker");
      notes.push(`${o.judge} passed it`);
    } else {
      failed ??= `${o.judge} failed it`;
      notes.push(`${o.judge} failed it`);
    }
  }

  const latest = new Map<string, number>();
  for (const r of store.listRatings(m.sessionId)) if (r.messageId === m.id) latest.set(r.source, r.score);
  if (latest.size > 0) {
    const mean = [...latest.values()].reduce((s, v) => s + v, 0) / latest.size;
    const who = [...latest.keys()].join(", ");
    if (mean >= 0.75) {
      passed.add("rating");
      notes.push(`rated ${scoreToStars(mean)} stars by ${who}`);
    } else {
      failed ??= `rated ${scoreToStars(mean)} stars by ${who}`;
      notes.push(`rated ${scoreToStars(mean)} stars by ${who}`);
    }
  }

  if (win && win.messageId === m.id) {
    passed.add("vote");
    notes.push(`won the vote (${win.points.toFixed(2)} points from ${win.ballots} ballots; runner-up ${win.runnerUp.toFixed(2)})`);
  }
  return { passed: [...passed], notes, failed };
}

/** The session's successful result (or, lacking evidence about it, its vote winner), or null. */
export function sessionSuccess(store: SessionStore, sessionId: string): Success | null {
  const win = store.votes.winner(sessionId);
  const result = store.results.message(sessionId);
  if (result) {
    const e = evidenceFor(store, result, win);
    if (e.failed) return null;
    if (e.passed.length > 0) return { message: result, basis: e.passed, evidence: e.notes };
  }
  if (!win || win.messageId === result?.id) return null;
  const winner = store.getMessage(win.messageId);
  if (!winner) return null;
  const e = evidenceFor(store, winner, win);
  return e.failed || e.passed.length === 0 ? null : { message: winner, basis: e.passed, evidence: e.notes };
}
