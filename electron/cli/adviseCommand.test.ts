/**
 * `conclave advise` as a user runs it (the real launcher, a real database file): the table of
 * figures with each member's verdict and reasons, the JSON in the contract's shape, a series id
 * that covers every session of the committee, and exit code 2 with one clear line for bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Advice } from "../../shared/advice.js";
import type { SessionStore } from "../engine/data/store/sessionStore.js";
import { modelDraft, tempStore } from "../engine/data/store/test/testSupport.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 180_000 });
}

/** A finished compare session as the store records one: three answers, two counted ballots, one abstention. */
function session(store: SessionStore, task: string): string {
  const experiment = { task, roles: [{ name: "ann", model: "/m/a.gguf" }, { name: "ben", model: "/m/a.gguf" }, { name: "eko", model: "/m/a.gguf" }], protocol: { kind: "compare" } };
  const s = store.createSession({ title: "cli advice", task, protocolKind: "compare", experiment });
  const ann = store.appendMessage(modelDraft(s.id, "ann", "answer", "The lighthouse keeper counted the ships every night."));
  const ben = store.appendMessage(modelDraft(s.id, "ben", "answer", "A fox crossed the frozen river at dawn, cited by nobody.", { referencesTo: [ann.id] }));
  const eko = store.appendMessage(modelDraft(s.id, "eko", "answer", "The lighthouse keeper counted the ships every night."));
  for (const [voter, best, second] of [["ann", ben, eko], ["ben", ann, eko]] as const) {
    const ballot = store.appendMessage(modelDraft(s.id, voter, "vote", "ranking", { referencesTo: [best.id, second.id] }));
    store.recordVote({ sessionId: s.id, voter, targetMessageId: best.id, score: 1, rank: 1, rankOf: 2, messageId: ballot.id });
    store.recordVote({ sessionId: s.id, voter, targetMessageId: second.id, score: 0, rank: 2, rankOf: 2, messageId: ballot.id });
  }
  const cut = store.appendMessage(modelDraft(s.id, "eko", "vote", "{\"type\":"));
  store.abstentions.record({ sessionId: s.id, voter: "eko", round: 2, kind: "unfilled", reason: "the ballot named no candidate", messageId: cut.id });
  store.updateSessionStatus(s.id, "completed");
  return s.id;
}

test("conclave advise prints each member's figures and verdict, JSON on request, a series by its id, and refuses bad input", () => {
  const t = tempStore();
  try {
    const first = session(t.store, "Tell a story about the sea.");
    const second = session(t.store, "Tell a story about the snow.");
    t.store.close();

    const text = conclave(["advise", first, "--db", t.file], t.dir);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^# advice for session ${first} \\(series-[0-9a-f]{12}, 1 session\\) — recommendations only; nothing is pruned`));
    assert.match(text.stdout, /\neko +PRUNE /);
    assert.match(text.stdout, /abstains: 1 of 1 ballots did not count \(100% ≥ 50%\)/);
    assert.match(text.stdout, /repeats ann: 1 of its messages reach similarity 0\.9/);
    assert.match(text.stdout, /\nann +KEEP /);
    assert.match(text.stdout, /\nthresholds: abstains ≥ 50% of ballots/);

    const json = conclave(["advise", first, "--json", "--db", t.file], t.dir);
    assert.equal(json.status, 0, json.stderr);
    const advice = Advice.parse(JSON.parse(json.stdout));
    const ben = advice.members.find((m) => m.figures.member === "ben")!;
    assert.deepEqual([ben.figures.cited, ben.figures.votesReceived, ben.figures.firstPlaces], [0, 1, 1]);
    assert.equal(advice.members.find((m) => m.figures.member === "ann")!.figures.cited, 1);

    const series = conclave(["advise", advice.seriesId, "--json", "--db", t.file], t.dir);
    assert.equal(series.status, 0, series.stderr);
    const all = Advice.parse(JSON.parse(series.stdout));
    assert.deepEqual([all.kind, all.sessionIds], ["series", [first, second]]);
    assert.equal(all.members.find((m) => m.figures.member === "eko")!.figures.abstentions, 2);

    const bad = conclave(["advise", first, "--leave-one-out", "x", "--db", t.file], t.dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--leave-one-out must be a whole number of sessions from 0 to 20, not "x"/);
    assert.equal(conclave(["advise", "--db", t.file], t.dir).status, 2);
    const unknown = conclave(["advise", "nope", "--db", t.file], t.dir);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no session, series or evaluation run nope/);
  } finally {
    t.cleanup();
  }
});
