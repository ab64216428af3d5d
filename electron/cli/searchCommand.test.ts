/**
 * `conclave search` as a user runs it (the real launcher, a real database file): ranked hits with
 * the matched words marked, JSON in the contract's shape, and one clear line plus exit code 2 for
 * queries and options that cannot run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SearchResult } from "../../shared/search.js";
import { modelDraft, tempStore } from "../engine/data/store/test/testSupport.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 120_000 });
}

test("conclave search prints ranked hits, JSON on request, and refuses what cannot run", () => {
  const t = tempStore();
  try {
    const a = t.store.createSession({ title: "Harbour plan", task: "Plan a harbour.", protocolKind: "debate", experiment: {} });
    const b = t.store.createSession({ title: "Canal plan", task: "Plan a canal.", protocolKind: "debate", experiment: {} });
    t.store.appendMessage(modelDraft(a.id, "critic", "critique", "The breakwater is too short for winter storms and the breakwater cracks."));
    t.store.appendMessage(modelDraft(b.id, "chair", "answer", "Locks every mile; a breakwater is not needed on a canal, as the committee agreed after a long and careful debate."));
    t.store.close();
    const db = t.file;

    const plain = conclave(["search", "breakwater", "--db", db], t.dir);
    assert.equal(plain.status, 0, plain.stderr);
    const blocks = plain.stdout.trim().split(/\n(?=\d+\. )/);
    assert.equal(blocks.length, 2);
    assert.match(blocks[0]!, new RegExp(`^1\\. Harbour plan  \\[${a.id}\\]  message #1 from critic \\(critique\\)`));
    assert.match(blocks[0]!, /The «breakwater» is too short/);
    assert.match(blocks[1]!, /^2\. Canal plan .* result #1 from chair \(answer\)/);

    const json = conclave(["search", "breakwater", "canal", "--db", db, "--json", "--limit", "5"], t.dir);
    assert.equal(json.status, 0, json.stderr);
    const result = SearchResult.parse(JSON.parse(json.stdout));
    assert.deepEqual(result.terms, ["breakwater", "canal"]);
    assert.deepEqual(result.hits.map((h) => h.sessionId), [b.id]);

    const none = conclave(["search", "zeppelin", "--db", db], t.dir);
    assert.equal(none.status, 0);
    assert.equal(none.stdout, "no sessions match zeppelin\n");

    const tasksOnly = conclave(["search", "plan", "--kinds", "task", "--db", db, "--json"], t.dir);
    assert.deepEqual(new Set(SearchResult.parse(JSON.parse(tasksOnly.stdout)).hits.map((h) => h.kind)), new Set(["task"]));

    for (const [args, message] of [
      [["search", '"( * )"', "--db", db], /^error: the query has no words to search for/],
      [["search", "--db", db], /^error: query: type a word to search for/],
      [["search", "x", "--limit", "0", "--db", db], /^error: --limit: /],
      [["search", "x", "--kinds", "votes", "--db", db], /^error: --kinds: "votes" is not one of task, message, result/],
      [["search", "x", "--colour", "--db", db], /^error: Unknown option '--colour'/],
    ] as const) {
      const r = conclave([...args], t.dir);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const hostile = conclave(["search", 'winter* "storms (', "--db", db, "--json"], t.dir);
    assert.equal(hostile.status, 0, hostile.stderr);
    assert.deepEqual(SearchResult.parse(JSON.parse(hostile.stdout)).hits.map((h) => h.sessionId), [a.id]);
    const near = conclave(["search", 'NEAR("storms" -', "--db", db], t.dir);
    assert.equal(near.status, 0, near.stderr);
    assert.equal(near.stdout, "no sessions match NEAR( storms\n");
  } finally {
    t.cleanup();
  }
});
