/**
 * The repositories over the session store's file besides the core session tables: one per concern,
 * each in its own file with named, typed methods, all built once when the store opens (their
 * statements prepared then) and reached as members of the store (`store.results`, `store.votes`,
 * `store.search`, …). No SQL lives outside this folder (sqlOnlyInStore.test.ts).
 */
import { AbstentionStore } from "./abstentionStore.js";
import { AttachmentStore } from "./attachmentStore.js";
import { EvaluationStore } from "./evaluationStore.js";
import { LibraryUseStore } from "./libraryUseStore.js";
import { LineageStore } from "./lineageStore.js";
import { PairwiseStore } from "./pairwiseStore.js";
import { SearchTables } from "./searchTables.js";
import { SessionResultStore } from "./sessionResultStore.js";
import type { Database } from "./sqlite.js";
import { StateCacheTable } from "./stateCacheTable.js";
import { VoteStore } from "./voteStore.js";

/** The store's repositories, one per concern. */
export interface StoreRepositories {
  /** Each session's result message (the stored marker). */
  readonly results: SessionResultStore;
  /** Tallies over the votes (a session's vote winner). */
  readonly votes: VoteStore;
  /** Pairwise arena outcomes and checker verdicts. */
  readonly pairwise: PairwiseStore;
  /** Ballots a voter did not cast, with the reason. */
  readonly abstentions: AbstentionStore;
  /** The full-text indexes' queries. */
  readonly search: SearchTables;
  /** Evaluation runs and their tasks. */
  readonly evaluations: EvaluationStore;
  /** Sessions' attached files and command-check outcomes. */
  readonly attachments: AttachmentStore;
  /** Forks, replays and replay reports. */
  readonly lineage: LineageStore;
  /** What the solution library offered each session. */
  readonly libraryUses: LibraryUseStore;
  /** The state stage's persistent cache. */
  readonly stateCache: StateCacheTable;
}

/** Builds every repository over `db` (an open, migrated store database). */
export function openRepositories(db: Database): StoreRepositories {
  const votes = new VoteStore(db);
  return {
    results: new SessionResultStore(db, votes),
    votes,
    pairwise: new PairwiseStore(db),
    abstentions: new AbstentionStore(db),
    search: new SearchTables(db),
    evaluations: new EvaluationStore(db),
    attachments: new AttachmentStore(db),
    lineage: new LineageStore(db),
    libraryUses: new LibraryUseStore(db),
    stateCache: new StateCacheTable(db),
  };
}
