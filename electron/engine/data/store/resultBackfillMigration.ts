/**
 * Migration 19: result markers for completed sessions stored before sessions recorded one
 * (`session_results`, migration 7). Each gets the result the rule of that time gave — the last
 * message a member spoke that is not a ballot, or a compare's strict vote winner — with a basis that
 * says it was backfilled, so every reader takes a completed session's result from the marker. A
 * session with no such message gets no marker (it has no result either way).
 */
import type { Migration } from "./migration.js";
import { SessionResultStore } from "./sessionResultStore.js";
import type { Database } from "./sqlite.js";
import { VoteStore } from "./voteStore.js";

/** The basis a backfilled marker carries, after the rule that picked it. */
export const BACKFILLED_BASIS = "backfilled from the stored messages (the session predates result markers)";

function backfill(db: Database): void {
  const results = new SessionResultStore(db, new VoteStore(db));
  const unmarked = db
    .prepare<string>(
      "SELECT id FROM sessions s WHERE s.status = 'completed' AND NOT EXISTS (SELECT 1 FROM session_results r WHERE r.session_id = s.id) ORDER BY s.rowid",
    )
    .pluck()
    .all();
  for (const id of unmarked) {
    const message = results.message(id);
    if (message) results.record(id, message.id, BACKFILLED_BASIS);
  }
}

export const RESULT_BACKFILL_MIGRATION: Migration = {
  version: 19,
  name: "result markers backfilled for completed sessions stored before markers",
  sql: "",
  run: backfill,
};
