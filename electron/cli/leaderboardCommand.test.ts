import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompareRun, RpcEvent } from "../../shared/rpc.js";
import { generatedModel, realTestModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import { RpcDispatcher } from "../host/dispatcher.js";
import { openStore } from "../engine/data/store/sessionStore.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 120_000 });
}

interface BoardJson {
  leaderboard: { model: { fingerprint: string; name: string }; rating: number; ci95: [number, number]; wins: number; losses: number; ties: number; games: number }[];
  winRates: (number | null)[][];
  separation: { moreVotes: number | null } | null;
}

async function call<T>(d: RpcDispatcher, method: string, params: unknown): Promise<T> {
  const reply = await d.handle({ kind: "request", id: 1, method, params });
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

/** Runs a blind compare of the two models on real GGUF files and votes `verdict` once both columns finish. */
async function compareAndVote(d: RpcDispatcher, modelRefs: string[], verdict: (run: CompareRun) => string): Promise<CompareRun> {
  let finished: (run: CompareRun) => void = () => undefined;
  const done = new Promise<CompareRun>((resolve) => (finished = resolve));
  const off = d.subscribe((e: RpcEvent) => {
    if (e.type === "compare" && e.run.columns.every((c) => c.status === "done" || c.status === "error")) finished(e.run);
  });
  const started = await call<CompareRun>(d, "compare.run", { prompt: "Once upon a time", modelRefs, sampling: { maxTokens: 8, seed: 1 } });
  const run = await done;
  off();
  assert.equal(run.id, started.id);
  assert.ok(run.columns.every((c) => c.status === "done"), JSON.stringify(run.columns.map((c) => c.error)));
  return call<CompareRun>(d, "compare.vote", { compareId: run.id, winner: verdict(run) });
}

test("human compare votes survive a restart and move the leaderboard (RPC and CLI)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-arena-"));
  const db = path.join(dir, "conclave.db");
  const models = [await realTestModel(), await generatedModel("tiny-chat")];
  try {
    const services = await createEngine({ dbPath: db, modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1 });
    const d = new RpcDispatcher(services);
    try {
      // Two votes for column A (whichever model the blind shuffle put there), then a tie.
      for (let i = 0; i < 2; i++) {
        const voted = await compareAndVote(d, models, () => "A");
        assert.ok(voted.columns.every((c) => c.model), "models are revealed after the vote");
      }
      const tie = await compareAndVote(d, models, () => "tie");
      assert.equal(tie.winner, "tie");
      const bad = await d.handle({ kind: "request", id: 2, method: "compare.vote", params: { compareId: tie.id, winner: "maybe" } });
      assert.equal(bad.ok, false);
      const live = await call<{ entries: { model: { fingerprint: string }; ties: number }[] }>(d, "leaderboard.get", { source: "human" });
      assert.equal(live.entries.length, 2);
      assert.ok(live.entries.every((e) => e.ties === 1));

      // Ratings over the same RPC surface: a stored message rated 1–5, bad input refused with the field.
      const side = openStore(db);
      try {
        side.createSession({ id: "s1", title: "t", task: "t", protocolKind: "roundtable", experiment: {} });
        side.appendMessage({ sessionId: "s1", id: "msg-1", from: "a", to: "all", type: "answer", content: "Blue." });
      } finally {
        side.close();
      }
      const rated = await call<{ stars: number; score: number; note: string }>(d, "messages.rate", { messageId: "msg-1", stars: 4, note: "clear" });
      assert.deepEqual([rated.stars, rated.score, rated.note], [4, 0.75, "clear"]);
      const refused = await d.handle({ kind: "request", id: 3, method: "messages.rate", params: { messageId: "msg-1", stars: 9 } });
      assert.equal(refused.ok, false);
      assert.match(!refused.ok ? refused.error.message : "", /stars: a rating is 1 to 5 stars/);
      const unknown = await d.handle({ kind: "request", id: 4, method: "messages.rate", params: { messageId: "nope", stars: 3 } });
      assert.match(!unknown.ok ? unknown.error.message : "", /no message nope/);
      assert.deepEqual((await call<{ messageId: string }[]>(d, "messages.ratings", { sessionId: "s1" })).map((r) => r.messageId), ["msg-1"]);
    } finally {
      d.close();
      await services.dispose();
    }

    // A fresh process on the same file: the votes are there and rank the models.
    const r = conclave(["leaderboard", "--db", db, "--source", "human", "--json"], dir);
    assert.equal(r.status, 0, r.stderr);
    const board = JSON.parse(r.stdout) as BoardJson;
    assert.equal(board.leaderboard.length, 2);
    const games = board.leaderboard.map((e) => e.games);
    assert.deepEqual(games, [3, 3]);
    assert.equal(board.leaderboard.reduce((s, e) => s + e.wins, 0), 2);
    assert.ok(board.leaderboard[0]!.rating >= board.leaderboard[1]!.rating);
    const top = board.leaderboard[0]!;
    assert.ok(top.ci95[0] <= top.rating && top.rating <= top.ci95[1]);
    assert.equal(board.winRates.length, 2);
    assert.ok(board.separation);

    const text = conclave(["leaderboard", "--db", db], dir);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Bradley–Terry/);
    assert.match(text.stdout, /win rate of row over column/);
    // Ranked rows name the model files (the internal name, "llama" and the like, is only a detail).
    const files = models.map((m) => path.basename(m));
    const ranked = text.stdout.split("\n").filter((l) => /^\s+[12] {2}/.test(l));
    assert.equal(ranked.length, 2, text.stdout);
    for (const line of ranked) assert.ok(files.some((f) => line.includes(f)), `a ranked row names its file: ${line}`);
    assert.match(text.stdout, /^3 outcomes \(all\)/);
    assert.equal(conclave(["leaderboard", "--db", db, "--source", "crowd"], dir).status, 2);
    const none = conclave(["leaderboard", "--db", db, "--source", "model"], dir);
    assert.match(none.stdout, /no model pairwise outcomes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
