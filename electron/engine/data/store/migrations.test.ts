import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from "./migrations.js";
import { openStore } from "./sessionStore.js";
import { openDatabase } from "./sqlite.js";
import { tempDir } from "./test/testSupport.js";

test("a fresh file is migrated to the newest version, and reopening applies nothing", () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "m.db");
    const store = openStore(file);
    const s = store.createSession({ title: "t", task: "x", protocolKind: "debate", experiment: { a: 1 } });
    store.close();

    for (let i = 0; i < 2; i++) {
      const reopened = openStore(file);
      assert.equal(reopened.getSession(s.id)?.title, "t");
      reopened.close();
    }
    const db = openDatabase(file);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.deepEqual(migrate(db), []);
    const rows = db.prepare<{ version: number }>("SELECT version FROM schema_version ORDER BY version").all();
    assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();
  } finally {
    cleanup();
  }
});

test("migrations apply in order, each once, and a failing one leaves the previous version", () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = openDatabase(join(dir, "steps.db"));
    const steps = [
      { version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER)" },
      { version: 2, name: "two", sql: "ALTER TABLE a ADD COLUMN y TEXT" },
    ];
    assert.deepEqual(migrate(db, steps.slice(0, 1)), [1]);
    assert.deepEqual(migrate(db, steps), [2]);
    assert.deepEqual(migrate(db, steps), []);
    const broken = [...steps, { version: 3, name: "bad", sql: "CREATE TABLE b (z INTEGER); CREATE TABLE a (x INTEGER)" }];
    assert.throws(() => migrate(db, broken), /already exists/);
    assert.equal(schemaVersion(db), 2);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get(), undefined, "rolled back");
    db.close();
  } finally {
    cleanup();
  }
});

test("a database from a newer build is refused, not guessed at", () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "newer.db");
    openStore(file).close();
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)").run(SCHEMA_VERSION + 1, "future", 0);
    db.close();
    assert.throws(() => openStore(file), /schema version/);
  } finally {
    cleanup();
  }
});

test("a migration numbered below the newest applied one is still applied when missing", () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = openDatabase(join(dir, "gap.db"));
    const one = { version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER)" };
    const three = { version: 3, name: "three", sql: "CREATE TABLE c (z INTEGER)" };
    const four = { version: 4, name: "four", sql: "CREATE TABLE d (w INTEGER)" };
    assert.deepEqual(migrate(db, [one, four]), [1, 4]);
    assert.deepEqual(migrate(db, [one, three, four]), [3], "the build with version 3 finds it missing");
    assert.deepEqual(migrate(db, [one, three, four]), []);
    assert.ok(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get());
    db.close();
  } finally {
    cleanup();
  }
});
