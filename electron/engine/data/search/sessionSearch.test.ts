/**
 * Full-text search on real SQLite files: BM25 order, the index following appends, deletes and rows
 * written before the index existed, kinds, the ranking window, hostile input, and the library's
 * similarity scale.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SearchResult } from "../../../../shared/search.js";
import { MIGRATIONS, migrate } from "../store/migrations.js";
import { openStore, type SessionStore } from "../store/sessionStore.js";
import { openDatabase } from "../store/sqlite.js";
import { withStoreFile } from "../store/test/storeFile.js";
import { modelDraft, tempDir, tempStore } from "../store/test/testSupport.js";
import { SearchQueryError, SessionSearch, sessionSearch } from "./sessionSearch.js";

function session(store: SessionStore, task: string, title = task.slice(0, 40)): string {
  return store.createSession({ title, task, protocolKind: "roundtable", experiment: {} }).id;
}

const FILLER = "the committee weighed the draft and asked for more detail about the plan before voting on it";

test("a word from one message finds its past session, best BM25 first, with the word highlighted", () => {
  const t = tempStore();
  try {
    const a = session(t.store, "Write a poem about the sea.");
    const b = session(t.store, "Plan a garden.");
    const c = session(t.store, "Summarise a report.");
    t.store.appendMessage(modelDraft(a, "critic", "critique", `${FILLER} and the lighthouse was mentioned once ${FILLER}`));
    const best = t.store.appendMessage(modelDraft(b, "analyzer", "analysis", "Lighthouse keepers tend the lighthouse."));
    t.store.appendMessage(modelDraft(c, "critic", "critique", FILLER));

    const r = sessionSearch(t.store).search({ query: "lighthouse" });
    assert.ok(SearchResult.safeParse(r).success);
    assert.deepEqual(r.hits.map((h) => h.sessionId), [b, a], "the short message that repeats the word ranks first");
    assert.ok(r.hits[0]!.score > r.hits[1]!.score);
    const top = r.hits[0]!;
    assert.equal(top.kind, "message");
    assert.equal(top.messageId, best.id);
    assert.equal(top.seq, best.seq);
    assert.equal(top.from, "analyzer");
    assert.equal(top.sessionTitle, "Plan a garden.");
    assert.deepEqual(top.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase()), ["lighthouse", "lighthouse"]);
    assert.equal(top.snippet.map((p) => p.text).join(""), "Lighthouse keepers tend the lighthouse.");
    assert.equal(r.truncated, false);
  } finally {
    t.cleanup();
  }
});

test("tasks, results and inflections are found; kinds narrow the hits", () => {
  const t = tempStore();
  try {
    const s = session(t.store, "Tell stories about a brave robot.", "Robot stories");
    t.store.appendMessage(modelDraft(s, "writer", "proposal", "Once a robot crossed the desert."));
    const answer = t.store.appendMessage(modelDraft(s, "chair", "answer", "The committee's story: the robot came home."));
    const search = sessionSearch(t.store);

    const all = search.search({ query: "story robot" });
    assert.deepEqual(new Set(all.hits.map((h) => h.kind)), new Set(["task", "result"]), "'story' matches 'stories' and 'story'");
    assert.deepEqual(all.terms, ["story", "robot"]);
    const task = all.hits.find((h) => h.kind === "task")!;
    assert.equal(task.sessionId, s);
    assert.equal(task.messageId, null);

    const results = search.search({ query: "robot", kinds: ["result"] });
    assert.deepEqual(results.hits.map((h) => h.messageId), [answer.id]);
    const messages = search.search({ query: "robot", kinds: ["message"] });
    assert.deepEqual(messages.hits.map((h) => h.type), ["proposal"]);
    assert.equal(search.search({ query: '"robot came home"' }).hits.length, 1, "a phrase matches as written");
    assert.equal(search.search({ query: '"home came robot"' }).hits.length, 0);
    assert.equal(search.search({ query: "desert robo*" }).hits.length, 1, "a trailing * matches a prefix");
  } finally {
    t.cleanup();
  }
});

test("the index follows appends, title changes and deletions on the same file", () => {
  const t = tempStore();
  try {
    const s = session(t.store, "Name a ship.");
    const search = new SessionSearch(t.store.search);
    assert.equal(search.search({ query: "zeppelin" }).hits.length, 0);
    t.store.appendMessage(modelDraft(s, "critic", "critique", "A zeppelin is not a ship."));
    assert.equal(search.search({ query: "zeppelin" }).hits.length, 1, "found as soon as it is appended");

    withStoreFile(t.store, (db) => db.prepare("UPDATE sessions SET title = 'Albatross naming' WHERE id = ?").run(s));
    assert.equal(search.search({ query: "albatross", kinds: ["task"] }).hits.length, 1);

    withStoreFile(t.store, (db) => db.prepare("DELETE FROM sessions WHERE id = ?").run(s));
    assert.equal(search.search({ query: "zeppelin" }).hits.length, 0, "cascaded message deletes leave the index");
    assert.equal(search.search({ query: "albatross" }).hits.length, 0);
    withStoreFile(t.store, (db) => {
      const check = db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      check.run();
    });
  } finally {
    t.cleanup();
  }
});

test("rows written before the index existed are indexed when the migration runs", () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "old.db");
    const db = openDatabase(file);
    migrate(db, MIGRATIONS.filter((m) => m.version === 1));
    const insert = db.prepare("INSERT INTO sessions VALUES (?, ?, ?, 'debate', '{}', 'completed', 1, 1)");
    insert.run(["gone", "Deleted session", "A harbour that was deleted"]);
    insert.run(["old", "Old session", "Compare two harbours"]);
    insert.run(["later", "Later session", "Dredge the canal"]);
    // A gap in the rowids: a later migration rebuilds `sessions`, renumbering them.
    db.prepare("DELETE FROM sessions WHERE id = 'gone'").run();
    db.prepare(
      "INSERT INTO messages (id, session_id, seq, from_role, to_roles, type, content, references_to, created_at, repairs) VALUES ('m1', 'old', 1, 'critic', '\"all\"', 'critique', 'The northern harbour silts up.', '[]', 2, '[]')",
    ).run();
    db.close();

    const store = openStore(file);
    try {
      const r = sessionSearch(store).search({ query: "harbour" });
      assert.deepEqual(r.hits.map((h) => [h.kind, h.sessionId]).sort(), [["message", "old"], ["task", "old"]]);
      assert.deepEqual(sessionSearch(store).search({ query: "canal" }).hits.map((h) => [h.sessionId, h.sessionTitle]), [["later", "Later session"]]);
      const fresh = store.createSession({ title: "New", task: "Another canal", protocolKind: "debate", experiment: {} });
      assert.deepEqual(sessionSearch(store).search({ query: "canal", kinds: ["task"] }).hits.map((h) => h.sessionId).sort(), ["later", fresh.id].sort());
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});

test("a database from a build without the index (already at a later version) gets it on open", () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "later.db");
    const db = openDatabase(file);
    migrate(db, MIGRATIONS.filter((m) => m.version !== 3));
    db.prepare("INSERT INTO sessions (id, title, task, protocol_kind, experiment, status, created_at, updated_at) VALUES ('s', 'Mill', 'Grind the flour', 'debate', '{}', 'completed', 1, 1)").run();
    db.close();
    const store = openStore(file);
    try {
      assert.deepEqual(sessionSearch(store).search({ query: "flour" }).hits.map((h) => h.sessionId), ["s"]);
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});

test("a query matching more than the window ranks only the newest matches and says so", () => {
  const t = tempStore();
  try {
    const s = session(t.store, "Count.");
    const ids = Array.from({ length: 10 }, (_, i) => t.store.appendMessage(modelDraft(s, "critic", "critique", `walrus number ${i}`)).id);
    const r = new SessionSearch(t.store.search, { rankedWindow: 3 }).search({ query: "walrus", limit: 10 });
    assert.equal(r.truncated, true);
    assert.deepEqual(new Set(r.hits.map((h) => h.messageId)), new Set(ids.slice(-3)));
    assert.equal(new SessionSearch(t.store.search, { rankedWindow: 10 }).search({ query: "walrus", limit: 20 }).truncated, false);
  } finally {
    t.cleanup();
  }
});

test("hostile queries give results or a clear error, never an SQLite exception", () => {
  const t = tempStore();
  try {
    const s = session(t.store, "Robots near the sea.");
    t.store.appendMessage(modelDraft(s, "critic", "critique", "The robot stood near the water, not far; (it said) -maybe- 50% \"sure\"."));
    const search = sessionSearch(t.store);
    const hostile = [
      '"', '""', '"unbalanced robot', 'robot"', "*", "**", "robot*", "*robot", "NEAR", "NEAR(robot water)", "robot NEAR water",
      "-robot", "robot -", "(", ")", "((robot", "robot)", "AND", "OR", "NOT", "robot OR", "AND robot", "NOT robot", "^robot",
      "content:robot", "{content}: robot", "title:robot", "robot:", "'", "\\", "%", "_", "50%", "robot; DROP TABLE messages; --",
      "rank MATCH 'x'", "\u0000robot", "ロボット", "🤖 robot", "a".repeat(500), "x ".repeat(40), "+robot", "robot + water", ":", "\"\"robot\"\"",
    ];
    for (const query of hostile) {
      try {
        const r = search.search({ query });
        assert.ok(SearchResult.safeParse(r).success, query);
      } catch (error) {
        assert.ok(error instanceof SearchQueryError, `${JSON.stringify(query)} threw ${String(error)}`);
        assert.ok(error.message.length > 10);
        assert.doesNotMatch(error.message, /fts5|syntax error/i, query);
      }
    }
    assert.equal(search.search({ query: "NEAR" }).hits.length, 2, "NEAR is a word like any other");
    assert.equal(search.search({ query: "-maybe-" }).hits.length, 1);
    assert.equal(search.search({ query: "NOT robot" }).hits.length, 1, "NOT is a word to find (the message says 'not'), not an operator");
    assert.equal(search.search({ query: "robot NOT water" }).hits.length, 1);
    assert.equal(search.search({ query: '"unbalanced robot' }).hits.length, 0);
    assert.throws(() => search.search({ query: "((( *** )))" }), /no words/);
    assert.throws(() => search.search({ query: "   " }), /query: type a word/);
    assert.throws(() => search.search({ query: "robot", limit: 0 }), /limit: /);
    assert.throws(() => search.search({ query: "x ".repeat(40) }), /at most 32/);
    assert.equal(t.store.listMessages(s).messages.length, 1, "nothing was dropped");
  } finally {
    t.cleanup();
  }
});

test("similar(): a repeated task scores about 1, a related one less, an unrelated one not at all", () => {
  const t = tempStore();
  try {
    const same = session(t.store, "Design a rainwater harvesting system for a small mountain village school.");
    const related = session(t.store, "Estimate rainwater storage for a village.");
    session(t.store, "Translate a birthday card into French.");
    for (let i = 0; i < 6; i++) session(t.store, `Unrelated filler task number ${i} about accounting spreadsheets.`);
    const asking = session(t.store, "Design a rainwater harvesting system for a small mountain village school.");
    const search = sessionSearch(t.store);

    const hits = search.similar("Design a rainwater harvesting system for a small mountain village school.", { excludeSessionIds: [asking], limit: 5 });
    assert.deepEqual(hits.map((h) => h.sessionId), [same, related]);
    assert.ok(hits[0]!.similarity >= 0.9 && hits[0]!.similarity <= 1, String(hits[0]!.similarity));
    assert.ok(hits[1]!.similarity > 0 && hits[1]!.similarity < hits[0]!.similarity, String(hits[1]!.similarity));
    assert.deepEqual(search.similar("Design a rainwater harvesting system for a small mountain village school.", { minScore: 0.9 }).map((h) => h.sessionId).sort(), [same, asking].sort());
    assert.deepEqual(search.similar("the of and"), [], "stop words alone find nothing");

    const m = t.store.appendMessage(modelDraft(related, "chair", "answer", "Storage of 40 cubic metres of rainwater suffices for the village."));
    const results = search.similar("How much rainwater storage does a village need?", { kinds: ["result"] });
    assert.deepEqual(results.map((h) => h.messageId), [m.id]);
    assert.ok(results[0]!.similarity > 0 && results[0]!.similarity <= 1);
  } finally {
    t.cleanup();
  }
});
