/**
 * Seats against the real runtime: real GGUF files (stories260K when ../shared has it, generated
 * models otherwise) in real model processes. No mocks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import type { EngineEvent } from "../../../../shared/slots.js";
import { lab, registryFixture } from "../../test/registries.js";

const fx = registryFixture("slots");
let real: string;
let chat: string;

before(async () => {
  real = await realTestModel();
  chat = await generatedModel("tiny-chat");
});
after(() => fx.dispose());

describe("seats", () => {
  test("two seats on the same file share one model process and generate concurrently, streaming", async () => {
    const reg = fx.make();
    const tokens: Record<string, string> = { analyzer: "", critic: "" };
    reg.onEvent((e: EngineEvent) => {
      if (e.type === "token") tokens[e.role] += e.text;
    });
    await reg.load(lab("analyzer"), real, { sampling: { seed: 1, maxTokens: 24 } });
    const critic = await reg.load(lab("critic"), real, { sampling: { seed: 2, maxTokens: 24 } });
    assert.equal(critic.status, "ready");
    assert.deepEqual(critic.sharedWith, [lab("analyzer")]);
    assert.equal(reg.get(lab("analyzer"))?.pid, critic.pid, "one process serves both seats");
    assert.match(critic.model?.fingerprint ?? "", /^fp1:/);

    const [a, c] = await Promise.all([
      reg.generate(lab("analyzer"), { append: [{ role: "user", content: "Once upon a time" }] }),
      reg.generate(lab("critic"), { append: [{ role: "user", content: "The little dog" }] }),
    ]);
    assert.ok(a.completionTokens > 0 && c.completionTokens > 0);
    assert.equal(tokens.analyzer, a.text, "streamed tokens add up to the turn");
    assert.equal(tokens.critic, c.text);
    const info = reg.get(lab("analyzer"))!;
    assert.ok(info.metrics.ttftMs !== null && info.metrics.genTokensPerSec !== null && info.metrics.tokensSoFar === a.completionTokens);
    assert.equal(reg.getHistory(lab("analyzer")).at(-1)?.content, a.text);
  });

  test("the same role name in two sessions is two seats: own model, own history, own events", async () => {
    const reg = fx.make();
    const events: EngineEvent[] = [];
    reg.onEvent((e) => events.push(e));
    const a = { sessionId: "session-a", role: "critic" };
    const b = { sessionId: "session-b", role: "critic" };
    await reg.load(a, real, { sampling: { seed: 1, maxTokens: 8 } });
    await reg.load(b, chat, { sampling: { seed: 1, maxTokens: 8 } });
    assert.equal(reg.get(a)?.model?.path, real);
    assert.equal(reg.get(b)?.model?.path, chat);
    await reg.generate(a, { append: [{ role: "user", content: "Tell me about cats" }] });
    assert.equal(reg.getHistory(b).length, 0, "session b's seat did not hear session a's turn");
    const tokenSessions = new Set(events.filter((e) => e.type === "token").map((e) => e.sessionId));
    assert.deepEqual([...tokenSessions], ["session-a"]);
    assert.ok(events.filter((e) => e.type === "slot").every((e) => e.sessionId === e.slot.sessionId), "every event names its session");
    await reg.releaseSession("session-a");
    assert.equal(reg.get(a), null);
    assert.equal(reg.get(b)?.status, "ready");
  });

  test("the same seed reproduces the same text; abort stops a generation", async () => {
    const reg = fx.make();
    await reg.load(lab("writer"), real, { sampling: { seed: 7, temperature: 0.9, maxTokens: 32 } });
    const turns = [{ role: "user" as const, content: "Lily found a red ball" }];
    const first = await reg.generate(lab("writer"), { turns });
    const second = await reg.generate(lab("writer"), { turns });
    assert.equal(first.text, second.text);

    let id = "";
    const result = await reg.generate(lab("writer"), {
      turns,
      generationId: "gen-abort",
      sampling: { maxTokens: 2000, seed: 1 },
      onToken: () => {
        if (!id) {
          id = "gen-abort";
          void reg.abort(id);
        }
      },
    });
    assert.equal(result.aborted, true);
    assert.ok(result.completionTokens < 2000);
  });

  test("parallel sequences on one shared model", async () => {
    const reg = fx.make();
    await reg.load(lab("analyzer"), real, { sampling: { maxTokens: 16, seed: 3 } });
    const prompts = [0, 1, 2, 3].map((i) => [{ role: "user" as const, content: `Story number ${i}:` }]);
    const results = await reg.sampleParallel(lab("analyzer"), prompts);
    assert.equal(results.length, 4);
    for (const r of results) assert.ok(r.completionTokens > 0);
  });

  test("a seated model loads only when needed, and a parked seat comes back by itself with its history", async () => {
    const reg = fx.make();
    const seat = lab("sleeper");
    const seated = await reg.seat(seat, real, { systemPrompt: "You tell stories.", sampling: { maxTokens: 8 } });
    assert.equal(seated.status, "parked");
    assert.equal(seated.pid, null, "nothing is loaded yet");
    const first = await reg.generate(seat, { append: [{ role: "user", content: "Once upon a time" }] });
    assert.ok(first.completionTokens > 0);
    await reg.park(seat);
    assert.equal(reg.get(seat)?.status, "parked");
    const history = reg.getHistory(seat);
    const again = await reg.generate(seat, { append: [{ role: "user", content: "And then?" }] });
    assert.ok(again.completionTokens > 0);
    assert.deepEqual(reg.getHistory(seat).slice(0, history.length), history, "the history came back with the seat");
  });

  test("assign decides from the seat's actual state: a seat with no model loads, a seated one swaps with its history, an unreadable file changes nothing", async () => {
    const reg = fx.make();
    const judge = lab("judge");
    const first = await reg.assign(judge, real, { systemPrompt: "Be fair.", sampling: { maxTokens: 8 } });
    assert.equal(first.kind, "load");
    assert.equal(first.outcome, "ok");
    await reg.generate(judge, { append: [{ role: "user", content: "Who wins?" }] });
    const history = reg.getHistory(judge);
    const second = await reg.assign(judge, chat);
    assert.equal(second.kind, "manual", "a resident seat is hot-swapped");
    assert.equal(second.outcome, "ok", second.error ?? "");
    assert.equal(second.keptTurns, history.length);
    assert.deepEqual(reg.getHistory(judge), history);
    await reg.park(judge);
    const third = await reg.assign(judge, real);
    assert.equal(third.kind, "manual", "a parked seat taking another model swaps too");
    assert.equal(reg.get(judge)?.model?.path, real);
    await assert.rejects(reg.assign(judge, "no-such-model.gguf"), /no-such-model/);
    assert.equal(reg.get(judge)?.status, "ready", "the seat keeps its model");
    await assert.rejects(reg.assign(lab("nobody"), "no-such-model.gguf"));
    assert.equal(reg.get(lab("nobody")), null, "a failed first assignment leaves no seat behind");
    await assert.rejects(reg.assign(judge, real, { contextSize: -1 } as never), /contextSize/, "options are validated at the door");
  });
});
