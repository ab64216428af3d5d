import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../engine/data/store/sessionStore.js";
import { modelDraft, tempStore } from "../engine/data/store/test/testSupport.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));
const conclave = (args: string[], home: string) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 120_000 });

test("conclave rate stores 1–5 stars as a 0..1 score that --min-rating filters by", () => {
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "t", task: "Name a colour.", protocolKind: "roundtable", experiment: {} });
    const good = t.store.appendMessage(modelDraft(s.id, "a", "proposal", "Blue.", { confidence: null }));
    const poor = t.store.appendMessage(modelDraft(s.id, "b", "proposal", "Beige.", { confidence: null }));
    t.store.close();

    const r = conclave(["rate", good.id, "5", "--note", "crisp", "--db", t.file], t.dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ...JSON.parse(r.stdout), messageId: good.id, score: 1, stars: 5, note: "crisp", source: "user" });
    assert.equal(conclave(["rate", poor.id, "2", "--db", t.file], t.dir).status, 0);
    // Bad input: a clear message and exit 2, nothing stored.
    const bad = conclave(["rate", poor.id, "6", "--db", t.file], t.dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /whole number from 1 to 5/);
    assert.equal(conclave(["rate", poor.id, "2.5", "--db", t.file], t.dir).status, 2);
    const unknown = conclave(["rate", "no-such-message", "3", "--db", t.file], t.dir);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no message no-such-message/);

    const store = openStore(t.file);
    try {
      assert.deepEqual(store.listRatings(s.id).map((x) => [x.messageId, x.score]), [[good.id, 1], [poor.id, 0.25]]);
    } finally {
      store.close();
    }
    // 4 stars and up = 0.75: only the 5-star message is exported.
    const out = path.join(t.dir, "rated.jsonl");
    const e = conclave(["export", s.id, "--format", "openai", "--out", out, "--min-rating", "0.75", "--db", t.file], t.dir);
    assert.equal(e.status, 0, e.stderr);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { messages: { content: string }[] });
    assert.deepEqual(lines.map((l) => l.messages.at(-1)?.content), ["Blue."]);
  } finally {
    t.cleanup();
  }
});
