/**
 * Member contribution and pruning advice over real sessions on the real test model: a compare
 * committee in which one member always abstains (a judge kept off contestants of its own model
 * family: a local grammar holds every ballot to a full ranking, so a cut-off ballot no longer
 * abstains) and one repeats another (both answer greedily from the same view). Over the series, both are
 * recommended for pruning with the figures behind it; leave-one-out re-runs a session without each
 * member and reports what changed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentInput } from "../../../../shared/experiment.js";
import { realTestModel, scriptedModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import { withoutMember } from "./leaveOneOut.js";
import { Experiment } from "../../../../shared/experiment.js";
import { engineParts } from "../../engineParts.js";

test("a member that always abstains and one that repeats another are recommended for pruning, with their figures (real model)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-advice-"));
  const engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, keepWarmMs: 0, threads: 1 });
  try {
    const model = await realTestModel();
    // alpha is of another family (its own name), so its ballots count; mute shares bravo's and
    // copy's model, so under excludeSameFamily each of its ballots is an abstention.
    const alphaModel = await scriptedModel(
      ['{"type":"vote","referencesTo":["A","B","C"],"content":"A reads best.","confidence":0.5}', '{"type":"answer","content":"A fox and a hen shared a long winter.","referencesTo":[],"confidence":0.5}'],
      { name: "Alpha Scripted" },
    );
    const experiment = (task: string): ExperimentInput => ({
      title: "advice",
      task,
      seed: 3,
      roles: [
        { name: "alpha", model: alphaModel, maxTokens: 96, contextSize: 512, temperature: 0.9 },
        { name: "bravo", model, maxTokens: 96, contextSize: 512, temperature: 0 },
        { name: "copy", model, maxTokens: 96, contextSize: 512, temperature: 0 },
        { name: "mute", model, maxTokens: 6, contextSize: 512 },
      ],
      // The greedy pair would fill ballots poorly; the vote is alpha's and mute's.
      protocol: { kind: "compare", voters: ["alpha", "mute"], excludeSameFamily: true },
    });
    const ids: string[] = [];
    for (const task of ["Once upon a time there was a little dog.", "Tell a story about a girl and her cat."]) {
      const s = await engine.sessions.create(experiment(task));
      assert.equal((await engine.sessions.wait(s.id)).status, "completed");
      ids.push(s.id);
    }

    const single = await engine.advice.advise({ target: ids[0]! });
    assert.equal(single.kind, "session");
    assert.match(single.seriesId, /^series-[0-9a-f]{12}$/);
    const series = await engine.advice.advise({ target: single.seriesId });
    assert.equal(series.kind, "series");
    assert.deepEqual(series.sessionIds, ids, "the series holds both sessions of the committee");
    const by = new Map(series.members.map((m) => [m.figures.member, m]));
    assert.deepEqual([...by.keys()].sort(), ["alpha", "bravo", "copy", "mute"]);

    const mute = by.get("mute")!;
    assert.equal(mute.recommendation, "PRUNE");
    assert.equal(mute.figures.ballots, 2);
    assert.equal(mute.figures.abstentions, 2, "it abstained on every ballot");
    assert.equal(mute.figures.abstentionRate, 1);
    assert.match(mute.reasons.join("\n"), /abstains: 2 of 2 ballots did not count \(100% ≥ 50%\)/);

    const copy = by.get("copy")!;
    assert.equal(copy.recommendation, "PRUNE");
    assert.equal(copy.figures.duplicateOf, "bravo");
    assert.equal(copy.figures.duplicates, 2, "both of its answers repeat bravo's");
    assert.equal(copy.figures.duplicateRate, 1);
    assert.deepEqual(copy.reasons, ["repeats bravo: 2 of its messages reach similarity 0.9 with an earlier one of another member (100% ≥ 50%)"]);
    assert.equal(copy.figures.ballots, 0, "it was not asked to vote, so it did not abstain");
    assert.equal(by.get("bravo")!.figures.duplicates, 0, "the member repeated is not the one repeating");
    assert.notEqual(by.get("bravo")!.recommendation, "PRUNE");

    for (const m of series.members) {
      assert.equal(m.figures.sessions, 2);
      assert.equal(m.figures.messages, 2, "one answer per session (ballots are counted as votes)");
      // A time per token exists exactly when some turn of the member generated timed tokens (a
      // 6-token cap on a random-weight stand-in model can end at once).
      const timed = ids.some((id) => engineParts(engine).store.listMessages(id, { limit: 1000 }).messages.some((x) => x.from === m.figures.member && (x.usage?.completionTokens ?? 0) > 0 && (x.usage?.tokensPerSec ?? 0) > 0));
      assert.equal(m.figures.msPerToken !== null && m.figures.msPerToken > 0, timed, `${m.figures.member}: a time per token exactly when it has timed tokens`);
      if (m.figures.member !== "mute") assert.ok(timed, `${m.figures.member} generated timed tokens`);
      assert.ok(m.reasons.length > 0);
    }
    // Votes received exclude self-votes: every counted ballot is another member's.
    const votes = ids.flatMap((id) => engineParts(engine).store.listVotes(id));
    const received = series.members.reduce((s, m) => s + m.figures.votesReceived, 0);
    assert.equal(received, votes.length);
    assert.equal(series.thresholds.abstentionRate, 0.5);

    // Leave-one-out on one session: a re-run without each member, compared with the full result.
    const loo = await engine.advice.advise({ target: ids[0]!, leaveOneOut: 1 });
    for (const m of loo.members) {
      const f = m.figures.leaveOneOut;
      assert.ok(f, `${m.figures.member} has leave-one-out figures`);
      assert.equal(f.runs, 1);
      assert.equal(f.sessionIds.length, 1);
      const rerun = await engine.sessions.get(f.sessionIds[0]!);
      assert.equal(rerun.title, `advice · without ${m.figures.member}`);
      const roles = Experiment.parse(rerun.experiment).roles.map((r) => r.name);
      assert.ok(!roles.includes(m.figures.member) && roles.length === 3);
      assert.ok(f.resultSimilarity !== null && f.resultSimilarity >= 0 && f.resultSimilarity <= 1);
      assert.equal(f.correctWith, null, "no checker: correctness is not claimed");
    }
    await assert.rejects(engine.advice.advise({ target: "no-such-session" }), /no session, series or evaluation run no-such-session/);
    await assert.rejects(engine.advice.advise({ target: ids[0]!, leaveOneOut: 99 }), /leaveOneOut: /);
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test("withoutMember takes a member out of the roles and of every place the protocol names it", () => {
  const e = Experiment.parse({
    task: "t",
    roles: ["a", "b", "c"].map((name) => ({ name, model: "m.gguf" })),
    protocol: { kind: "validate", producer: "b", validator: "c", corrector: "b", voters: ["b"], steps: ["a", "b"] },
    swaps: [{ atRound: 2, role: "b", model: "n.gguf" }],
    state: { role: "b", fields: { done: { type: "boolean" } } },
    library: { use: true },
  });
  const w = withoutMember(e, "b")!;
  assert.deepEqual(w.roles.map((r) => r.name), ["a", "c"]);
  assert.deepEqual(w.protocol, { kind: "validate", validator: "c", steps: ["a"] });
  assert.deepEqual(w.swaps, []);
  assert.equal(w.state, undefined);
  assert.equal(w.library, undefined, "leave-one-out runs generate, never reuse");
  assert.equal(withoutMember(Experiment.parse({ task: "t", roles: [{ name: "a", model: "m" }], protocol: { kind: "pipeline" } }), "a"), null);
});
