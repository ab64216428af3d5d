/**
 * The lineage repository and its migration on real SQLite files: a database written before
 * migration 5 opens with its sessions intact and read without an origin; origins, children and
 * replay reports round-trip; bad origins are refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ReplayReport } from "../../../../shared/lineage.js";
import { MIGRATIONS, migrate, schemaVersion } from "./migrations.js";
import { openStore } from "./sessionStore.js";
import { openDatabase } from "./sqlite.js";
import { withStoreFile } from "./test/storeFile.js";
import { tempDir, tempStore } from "./test/testSupport.js";

test("a database from before migration 5 opens with its sessions intact, without an origin", () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "v4.db");
    const db = openDatabase(file);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 4));
    db.prepare("INSERT INTO sessions (id, title, task, protocol_kind, experiment, status, created_at, updated_at) VALUES ('old', 't', 'x', 'debate', '{}', 'completed', 1, 1)").run();
    db.close();

    const store = openStore(file);
    try {
      assert.equal(withStoreFile(store, schemaVersion, { readonly: true }), MIGRATIONS.at(-1)!.version, "migrated to the newest version");
      const old = store.getSession("old");
      assert.equal(old?.title, "t");
      assert.equal(old?.origin, undefined);
      assert.deepEqual(store.lineage.children("old"), []);
      assert.equal(store.lineage.report("old"), null);
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});

test("origins, children and replay reports round-trip; bad origins are refused", () => {
  const t = tempStore();
  try {
    const lineage = t.store.lineage;
    const make = (title: string) => t.store.createSession({ title, task: "x", protocolKind: "pipeline", experiment: {} });
    const parent = make("parent");
    const fork = make("fork");
    const replay = make("replay");
    lineage.setOrigin(fork.id, { kind: "fork", sessionId: parent.id, atSeq: 3 });
    lineage.setOrigin(replay.id, { kind: "replay", sessionId: parent.id, atSeq: null });
    assert.deepEqual(t.store.getSession(fork.id)?.origin, { kind: "fork", sessionId: parent.id, atSeq: 3 });
    assert.deepEqual(lineage.children(parent.id).map((s) => [s.title, s.origin?.kind]), [["fork", "fork"], ["replay", "replay"]]);
    assert.throws(() => lineage.setOrigin("nope", { kind: "fork", sessionId: parent.id, atSeq: 1 }), /unknown session nope/);
    assert.throws(() => lineage.setOrigin(fork.id, { kind: "fork", sessionId: fork.id, atSeq: 1 }), /cannot come from itself/);
    assert.throws(() => lineage.setOrigin(fork.id, { kind: "fork", sessionId: parent.id, atSeq: 0 }), /atSeq/);

    const report: ReplayReport = {
      sessionId: replay.id, sourceId: parent.id, state: "running", replayStatus: null, warnings: [{ kind: "concurrent", message: "m" }],
      compared: { source: 0, replay: 0 }, matched: 0, differing: 0, sourceOnly: 0, replayOnly: 0, firstDivergence: null, createdAt: 1, updatedAt: 1,
    };
    lineage.saveReport(report);
    const done = { ...report, state: "done" as const, replayStatus: "completed" as const, compared: { source: 5, replay: 5 }, matched: 5, updatedAt: 2 };
    lineage.saveReport(done);
    assert.deepEqual(lineage.report(replay.id), done);
    assert.throws(() => lineage.saveReport({ ...done, matched: -1 }), /matched/);
  } finally {
    t.cleanup();
  }
});
