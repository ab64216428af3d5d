/**
 * Forks on the real model, through the engine's front door: a fork at message N holds the parent's
 * messages 1..N unchanged and in order (new ids, references remapped, ballots and ratings on them
 * copied), records its parent and fork point, and continues live; a fork whose experiment seats a
 * role on another model uses that model from message N on. Bad fork points are refused by name.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Message, SessionInfo } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import type { Engine } from "../../Engine.js";
import { experimentChanges, seatsAtRound } from "./forkSession.js";
import { compareTranscripts } from "./compareTranscripts.js";
import { engineParts } from "../../engineParts.js";

let dir: string;
let engine: Engine;
let parent: SessionInfo;
let parentMessages: Message[];
let debate: Experiment;

const all = (sessionId: string): Message[] => engineParts(engine).store.listMessages(sessionId, { limit: 10_000 }).messages;
/** What a message says and where, without its identity. */
const said = (m: Message) => ({ seq: m.seq, from: m.from, to: m.to, type: m.type, content: m.content, round: m.round, confidence: m.confidence, provenance: m.provenance, usage: m.usage, createdAt: m.createdAt, repairs: m.repairs, routing: m.routing });

/** Each taken-over message cites the copies of the messages its original cited. */
function assertReferencesRemapped(forked: Message[], n: number): void {
  const seqOf = new Map(forked.map((m) => [m.id, m.seq]));
  const parentSeqOf = new Map(parentMessages.map((m) => [m.id, m.seq]));
  for (let i = 0; i < n; i++) {
    const refs = forked[i]!.referencesTo;
    assert.ok(refs.every((r) => seqOf.has(r)), `#${i + 1} cites only messages of the fork`);
    assert.deepEqual(refs.map((r) => seqOf.get(r)), parentMessages[i]!.referencesTo.map((r) => parentSeqOf.get(r)), `#${i + 1} cites the same positions`);
  }
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "conclave-fork-"));
  engine = await createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
  const model = await realTestModel();
  debate = {
    title: "fork me",
    task: "Tell a story about a lost kitten.",
    seed: 7,
    roles: ["pro", "con"].map((name) => ({ name, model, maxTokens: 48, contextSize: 1024 })),
    protocol: { kind: "debate", rounds: 3, vote: true },
    swaps: [],
    context: { policy: "drop-oldest" },
  };
  parent = await engine.sessions.create(debate);
  const outcome = await engine.sessions.wait(parent.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");
  parent = await engine.sessions.get(parent.id);
  parentMessages = all(parent.id);
});

after(async () => {
  await engine?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test("a fork at message N keeps 1..N identical and in order, records its parent, and continues live", async () => {
  const turns = parentMessages.filter((m) => m.provenance && m.type !== "vote");
  assert.equal(turns.length, 6, "3 rounds × 2 debaters");
  // Fork right after con's first rebuttal (round 2), which cites earlier messages.
  const at = parentMessages.find((m) => m.from === "con" && m.round === 2)!;
  const N = at.seq;
  engineParts(engine).store.recordRating({ sessionId: parent.id, messageId: parentMessages[2]!.id, score: 0.9, note: "keep" });

  const fork = await engine.sessions.fork(parent.id, N);
  assert.deepEqual(fork.origin, { kind: "fork", sessionId: parent.id, atSeq: N });
  assert.equal(fork.title, "fork me · fork at #" + N);
  const outcome = await engine.sessions.wait(fork.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");

  const forked = all(fork.id);
  assert.deepEqual(forked.slice(0, N).map(said), parentMessages.slice(0, N).map(said), "messages 1..N are the parent's, unchanged and in order");
  assert.ok(forked.slice(0, N).every((m, i) => m.id !== parentMessages[i]!.id && m.sessionId === fork.id), "copies have their own ids");
  assertReferencesRemapped(forked, N);

  // It went on live after N: every remaining turn once, none of the taken-over ones again.
  const live = forked.slice(N);
  assert.ok(live.some((m) => m.provenance), "new turns after the fork point");
  const forkTurns = forked.filter((m) => m.provenance && m.type !== "vote");
  assert.equal(forkTurns.length, 6, "the debate's 6 turns, each once");
  assert.deepEqual(forked.map((m) => m.seq), forked.map((_, i) => i + 1), "no gap in the sequence");
  // Turn seeds go on from the parent's sequence, so with the same experiment the fork goes on as the parent did.
  assert.equal(compareTranscripts(parentMessages, forked).firstDivergence, null, "the same experiment continues the same way");
  assert.equal(engineParts(engine).store.listRatings(fork.id).length, 1, "the rating of a taken-over message is copied");
  assert.equal(engineParts(engine).store.listRatings(fork.id)[0]!.messageId, forked[2]!.id);
  assert.deepEqual(engineParts(engine).store.listAssignments(fork.id).map((a) => a.role).sort(), ["con", "pro"], "the fork's seats are recorded");

  // The family: the parent lists the fork, the fork names its parent.
  const family = await engine.sessions.lineage(parent.id);
  assert.deepEqual(family.children.map((s) => s.id), [fork.id]);
  assert.equal(family.parent, null);
  const own = await engine.sessions.lineage(fork.id);
  assert.equal(own.parent?.id, parent.id);
  assert.deepEqual(own.changes, [], "the parent's experiment, unchanged");
  assert.deepEqual((await engine.sessions.list()).find((s) => s.id === fork.id)?.origin, { kind: "fork", sessionId: parent.id, atSeq: N });
});

test("a fork at the last message takes the ballots over, and nothing is generated again", async () => {
  const N = parentMessages.length;
  const votes = engineParts(engine).store.listVotes(parent.id);
  assert.ok(votes.length > 0, "the parent voted");
  const fork = await engine.sessions.fork(parent.id, N);
  const outcome = await engine.sessions.wait(fork.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");
  const forked = all(fork.id);
  assert.deepEqual(forked.slice(0, N).map(said), parentMessages.map(said));
  assert.equal(forked.length, N, "nothing was added");
  assert.ok(forked.some((m) => m.type === "vote" && m.referencesTo.length > 0), "ballots cite the candidates");
  assertReferencesRemapped(forked, N);
  assert.equal(forked.filter((m) => m.provenance).length, parentMessages.filter((m) => m.provenance).length, "no turn was taken twice");
  const copied = engineParts(engine).store.listVotes(fork.id);
  const seqIn = (ms: Message[], id: string | null) => ms.find((m) => m.id === id)?.seq;
  assert.deepEqual(
    copied.map((v) => [v.voter, seqIn(forked, v.targetMessageId), seqIn(forked, v.messageId), v.score, v.rank]),
    votes.map((v) => [v.voter, seqIn(parentMessages, v.targetMessageId), seqIn(parentMessages, v.messageId), v.score, v.rank]),
  );
});

test("a fork with another model for a role uses it after the fork point", async () => {
  const other = await generatedModel("tiny-chat");
  const at = parentMessages.find((m) => m.from === "con" && m.round === 1)!;
  const experiment = { ...debate, roles: debate.roles.map((r) => (r.name === "con" ? { ...r, model: other } : r)) };
  const fork = await engine.sessions.fork(parent.id, at.seq, experiment);
  const outcome = await engine.sessions.wait(fork.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");
  const forked = all(fork.id);
  const before = forked.slice(0, at.seq).filter((m) => m.from === "con" && m.provenance);
  const later = forked.slice(at.seq).filter((m) => m.from === "con" && m.provenance);
  const parentCon = parentMessages.find((m) => m.from === "con" && m.provenance)!.provenance!.fingerprint;
  const seat = engineParts(engine).store.listAssignments(fork.id).find((a) => a.role === "con")!;
  assert.equal(seat.model.path, other, "con is seated on the fork's model");
  assert.ok(before.length > 0 && before.every((m) => m.provenance!.fingerprint === parentCon), "taken-over turns keep the parent's model");
  assert.ok(later.length > 0, "con spoke after the fork point");
  assert.ok(later.every((m) => m.provenance!.fingerprint === seat.model.fingerprint && m.provenance!.fingerprint !== parentCon), "con's later turns come from the other model");
  assert.deepEqual((await engine.sessions.lineage(fork.id)).changes, [`con on ${path.basename(other)} (was ${path.basename(debate.roles[1]!.model!)})`]);
  assert.ok(forked.slice(at.seq).some((m) => m.from === "pro" && m.provenance?.fingerprint === parentCon), "pro stays on its model");
});

test("a fork point outside the parent's messages is refused with the field and the range", async () => {
  await assert.rejects(engine.sessions.fork(parent.id, parentMessages.length + 1), /^Error: atSeq: session .* has \d+ messages; a fork point must be one of them \(1\.\.\d+\), not \d+$/);
  await assert.rejects(engine.sessions.fork("nope", 1), /no session nope/);
  await assert.rejects(engine.sessions.fork(parent.id, 2, { ...debate, roles: [] }), /roles: at least one role is required/);
});

test("seats at the fork point follow the swaps scheduled up to its round; edits are named", () => {
  const e: Experiment = { ...debate, swaps: [{ atRound: 2, role: "con", model: "b.gguf" }, { atRound: 4, role: "con", model: "c.gguf" }] };
  assert.equal(seatsAtRound(e, 1).get("con"), debate.roles[1]!.model);
  assert.equal(seatsAtRound(e, 2).get("con"), "b.gguf");
  assert.equal(seatsAtRound(e, 3).get("con"), "b.gguf");
  const json = (x: Experiment) => JSON.parse(JSON.stringify(x)) as Parameters<typeof experimentChanges>[0];
  const stored = json(debate);
  assert.deepEqual(experimentChanges(stored, json({ ...debate, title: "renamed" })), []);
  assert.deepEqual(experimentChanges(stored, json({ ...debate, seed: 8, protocol: { ...debate.protocol, rounds: 4 } })), ["seed 8", "protocol"]);
  assert.deepEqual(experimentChanges(stored, json({ ...debate, roles: [{ ...debate.roles[0]!, temperature: 0.1 }] })), ["pro's settings", "role con removed"]);
});
