/**
 * Migration 19 backfills result markers for completed sessions stored before markers existed, from
 * the rule of that time, and leaves every other session as it was.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { SessionStatus } from "../../../../shared/conversation.js";
import type { ProtocolKind } from "../../../../shared/conversation.js";
import { BACKFILLED_BASIS } from "./resultBackfillMigration.js";
import { openStore, type SessionStore } from "./sessionStore.js";
import { withStoreFile } from "./test/storeFile.js";
import { modelDraft, tempDir } from "./test/testSupport.js";

function session(store: SessionStore, id: string, protocolKind: ProtocolKind, status: SessionStatus = "completed"): string {
  store.createSession({ id, title: id, task: `task of ${id}`, protocolKind, experiment: {}, status });
  store.appendMessage({ sessionId: id, from: "user", to: "all", type: "question", content: `task of ${id}` });
  return id;
}

test("completed sessions without a marker get the result the old rule gave; the rest stay as they were", () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, "before-markers.db");
  try {
    const store = openStore(file);
    const debate = session(store, "debate", "debate");
    store.appendMessage(modelDraft(debate, "pro", "proposal", "Yes."));
    const verdict = store.appendMessage(modelDraft(debate, "judge", "answer", "Yes, on balance."));
    store.appendMessage(modelDraft(debate, "pro", "vote", "judge"));
    store.appendMessage({ sessionId: debate, from: "system", to: "all", type: "system", content: "done" });

    const compare = session(store, "compare", "compare");
    const x = store.appendMessage(modelDraft(compare, "x", "answer", "blue"));
    const y = store.appendMessage(modelDraft(compare, "y", "answer", "green"));
    store.recordVote({ sessionId: compare, voter: "y", targetMessageId: x.id, score: 1, rank: 1, rankOf: 2 });
    store.recordVote({ sessionId: compare, voter: "x", targetMessageId: y.id, score: 0.5, rank: 1, rankOf: 2 });

    const tied = session(store, "tied", "compare");
    const a = store.appendMessage(modelDraft(tied, "a", "answer", "one"));
    const b = store.appendMessage(modelDraft(tied, "b", "answer", "two"));
    store.recordVote({ sessionId: tied, voter: "b", targetMessageId: a.id, score: 1, rank: 1, rankOf: 2 });
    store.recordVote({ sessionId: tied, voter: "a", targetMessageId: b.id, score: 1, rank: 1, rankOf: 2 });

    const silent = session(store, "silent", "roundtable");
    const running = session(store, "running", "roundtable", "running");
    store.appendMessage(modelDraft(running, "chair", "answer", "not yet"));

    const marked = session(store, "marked", "roundtable");
    const synthesis = store.appendMessage(modelDraft(marked, "chair", "answer", "The synthesis."));
    store.appendMessage(modelDraft(marked, "critic", "critique", "A later remark."));
    store.results.record(marked, synthesis.id, "synthesis by chair");
    store.close();

    // The file as a build before markers left it: no migration 19, and no marker but the one kept.
    withStoreFile({ file }, (db) => {
      db.prepare("DELETE FROM schema_version WHERE version = 19").run();
      assert.equal(db.prepare<number>("SELECT count(*) FROM session_results").pluck().get(), 1);
    });

    const reopened = openStore(file);
    try {
      assert.deepEqual([reopened.results.get(debate)?.messageId, reopened.results.get(debate)?.basis], [verdict.id, BACKFILLED_BASIS]);
      assert.equal(reopened.results.get(compare)?.messageId, x.id, "a compare's result is its strict vote winner");
      assert.equal(reopened.results.get(tied), null, "a tied compare had no result, so it gets no marker");
      assert.equal(reopened.results.get(silent), null, "no member spoke: no marker");
      assert.equal(reopened.results.get(running), null, "only completed sessions carry markers");
      assert.deepEqual([reopened.results.get(marked)?.messageId, reopened.results.get(marked)?.basis], [synthesis.id, "synthesis by chair"]);
      assert.equal(reopened.results.message(marked)?.content, "The synthesis.", "the stored marker wins over the old rule");
      assert.equal(reopened.results.message(debate)?.content, "Yes, on balance.");
    } finally {
      reopened.close();
    }
  } finally {
    cleanup();
  }
});
