/**
 * Hot swaps on the real runtime: history carried over and compressed when it must be, saved KV
 * states restored on the way back, make-before-break keeping the old model when the new one fails,
 * break-before-make ending in `error` when there is no room for both, and staged swaps that only
 * evaluate the turns added since staging.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { writeBrokenGguf } from "../../../../models/gguf/brokenGguf.js";
import { libraryResolver } from "../library/libraryResolver.js";
import type { ModelResolver } from "./SlotRegistry.js";
import type { EngineEvent, SwapEvent } from "../../../../shared/slots.js";
import { lab, registryFixture } from "../../test/registries.js";

const fx = registryFixture("swap");
let real: string;
let chat: string;

before(async () => {
  real = await realTestModel();
  chat = await generatedModel("tiny-chat");
});
after(() => fx.dispose());

describe("hot-swap", () => {
  test("a seat swapped mid-conversation carries its whole history into the new model, and swapping back restores the saved state", async () => {
    const reg = fx.make();
    const critic = lab("critic");
    await reg.load(critic, real, { systemPrompt: "You judge stories.", sampling: { seed: 4, maxTokens: 24 } });
    await reg.generate(critic, { append: [{ role: "user", name: "analyzer", content: "Once upon a time a cat sat." }] });
    await reg.generate(critic, { append: [{ role: "user", name: "writer", content: "The cat ran to the park." }] });
    const history = reg.getHistory(critic);

    const event = await reg.hotSwap(critic, chat);
    assert.equal(event.outcome, "ok", event.error ?? "");
    assert.equal(event.kind, "manual");
    assert.equal(event.historyTurns, history.length);
    assert.equal(event.keptTurns, history.length, "nothing was dropped");
    assert.equal(event.droppedTurns, 0);
    assert.ok(event.tokensReingested >= event.historyTokens, `context holds ${event.tokensReingested} tokens, history is ${event.historyTokens}`);
    assert.ok(event.historyTokens > 20);
    assert.ok(event.loadMs > 0 && event.prefillMs > 0);
    assert.ok(event.predictedMs !== null && event.predictedMs > 0, "every swap carries its prediction");
    assert.deepEqual(reg.getHistory(critic), history);
    assert.equal(reg.get(critic)?.model?.path, chat);

    const next = await reg.generate(critic, { append: [{ role: "user", content: "And then?" }] });
    assert.ok(next.promptTokens >= event.tokensReingested, "the next turn builds on the re-ingested history");

    const back = await reg.hotSwap(critic, real);
    assert.equal(back.outcome, "ok");
    assert.equal(back.usedSavedState, true, "swap-back restores the saved KV state");
    assert.ok(back.tokensEvaluated < back.tokensReingested, `evaluated ${back.tokensEvaluated} of ${back.tokensReingested}`);
  });

  test("history longer than the new context is compressed by dropping the oldest turns, and the event says so", async () => {
    const reg = fx.make();
    const writer = lab("writer");
    await reg.load(writer, real, { contextSize: 2048, sampling: { maxTokens: 16 } });
    const long = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: `Turn ${i}: the little bird sang a long song about the sun and the sea.` }));
    reg.setHistory(writer, [{ role: "system", content: "Keep me." }, ...long]);
    const event = await reg.hotSwap(writer, chat, { contextSize: 256 });
    assert.equal(event.outcome, "ok", event.error ?? "");
    assert.equal(event.compression, "drop-oldest");
    assert.ok(event.droppedTurns > 0 && event.keptTurns < event.historyTurns);
    assert.ok(event.tokensReingested <= 256);
    assert.equal(reg.getHistory(writer).length, 61, "the engine keeps the full record");
  });

  test("a swap to a bad file keeps the old model; a model process dying mid-swap does too", async () => {
    const reg = fx.make();
    await reg.load(lab("analyzer"), real);
    const truncated = path.join(fx.tmp, "truncated.gguf");
    await writeBrokenGguf(truncated, "truncated");
    const bad = await reg.hotSwap(lab("analyzer"), truncated);
    assert.equal(bad.outcome, "failed-kept-old");
    assert.match(bad.error ?? "", /truncated/i);
    assert.equal(reg.get(lab("analyzer"))?.status, "ready");

    // A file the validator would refuse, let through to llama.cpp, which aborts its process.
    const missingKey = path.join(fx.tmp, "missing-ffn.gguf");
    await writeBrokenGguf(missingKey, "missing-key");
    const reg2 = fx.make({ resolver: unchecked(missingKey, real, fx.tmp) });
    await reg2.load(lab("critic"), real, { sampling: { maxTokens: 8 } });
    const crashed = await reg2.hotSwap(lab("critic"), missingKey);
    assert.equal(crashed.outcome, "failed-kept-old");
    assert.match(crashed.error ?? "", /exited unexpectedly|aborted/);
    const after = await reg2.generate(lab("critic"), { append: [{ role: "user", content: "Still here?" }] });
    assert.ok(after.completionTokens > 0, "the old model still answers");
  });

  test("break before make: with no room for both, the old model goes first, and a failing new one leaves the seat in error with its history", async () => {
    const missingKey = path.join(fx.tmp, "missing-ffn-2.gguf");
    await writeBrokenGguf(missingKey, "missing-key");
    const probe = fx.make({ resolver: unchecked(missingKey, real, fx.tmp) });
    await probe.ready();
    await probe.load(lab("judge"), real, { contextSize: 512 });
    const usage = probe.usage();
    // Room for the loaded model and a little more, never for a second process beside it.
    probe.budget = { bytes: usage.inUseBytes + 20e6, rule: "test" };
    await probe.generate(lab("judge"), { append: [{ role: "user", content: "Who wins?" }], sampling: { maxTokens: 8 } });
    const history = probe.getHistory(lab("judge"));
    const event = await probe.hotSwap(lab("judge"), missingKey);
    assert.equal(event.outcome, "failed-error", event.error ?? "");
    assert.ok(event.unloadMs > 0, "the old model was unloaded before the new one was tried");
    const info = probe.get(lab("judge"))!;
    assert.equal(info.status, "error");
    assert.match(info.error ?? "", /swap to .* failed/);
    assert.deepEqual(probe.getHistory(lab("judge")), history, "the history survives");
    const reloaded = await probe.load(lab("judge"), real);
    assert.equal(reloaded.status, "ready", "loading any model resumes the conversation");
  });

  test("a staged swap is committed evaluating only the turns added after staging", async () => {
    const reg = fx.make();
    const critic = lab("critic");
    await reg.load(critic, real, { sampling: { seed: 2, maxTokens: 24 } });
    for (const line of ["Once upon a time a fox lived in a wood.", "The fox found a shiny key.", "It opened a tiny door."]) {
      await reg.generate(critic, { append: [{ role: "user", name: "teller", content: line }] });
    }
    assert.equal(await reg.stage(critic, chat), true, "there is room to stage");
    await reg.generate(critic, { append: [{ role: "user", name: "teller", content: "Behind the door was a garden." }] });
    const event = await reg.hotSwap(critic, chat, {}, "scheduled");
    assert.equal(event.outcome, "ok", event.error ?? "");
    assert.equal(event.prefetched, true);
    assert.equal(event.kind, "scheduled");
    assert.ok(event.tokensEvaluated < event.tokensReingested / 2, `committing evaluated ${event.tokensEvaluated} of ${event.tokensReingested} tokens`);
  });

  test("a model process killed while a swap awaits on it: the swap rolls back under the seat's lock, one event per change, and rejects cleanly", async () => {
    const reg = fx.make();
    const critic = lab("critic");
    await reg.load(critic, real, { sampling: { seed: 3, maxTokens: 16 } });
    await reg.generate(critic, { append: [{ role: "user", name: "teller", content: "A fox found a key." }] });
    const history = reg.getHistory(critic);
    assert.equal(await reg.stage(critic, chat), true, "there is room to stage");
    const staged = (await reg.memory()).processes.find((p) => p.modelPath === chat);
    assert.ok(staged, "the staged model runs in its own process");

    const statuses: string[] = [];
    const swaps: SwapEvent[] = [];
    let exited: (e: Extract<EngineEvent, { type: "process-exit" }>) => void = () => {};
    const processExit = new Promise<Extract<EngineEvent, { type: "process-exit" }>>((r) => (exited = r));
    reg.onEvent((e) => {
      if (e.type === "slot" && e.slot.role === "critic") {
        statuses.push(e.slot.status);
        // The swap has begun and will now pre-fill on the staged model: its process dies under it.
        if (e.slot.status === "swapping") process.kill(staged.pid, "SIGKILL");
      }
      if (e.type === "swap" && e.event.role === "critic") swaps.push(e.event);
      if (e.type === "process-exit" && e.pid === staged.pid) exited(e);
    });

    await assert.rejects(reg.assign(critic, chat), (e: unknown) => e instanceof Error && /exited unexpectedly|has exited|SIGKILL/.test(e.message));
    const exit = await processExit;
    assert.deepEqual(exit.seats, [critic], "the process died serving the seat mid-swap");
    assert.deepEqual(statuses, ["swapping", "ready"], "one event per change, and no change behind the swap's back");
    assert.equal(swaps.length, 1);
    assert.equal(swaps[0]!.outcome, "failed-kept-old");
    const info = reg.get(critic)!;
    assert.equal(info.status, "ready");
    assert.equal(info.model?.path, real, "the seat kept its old model");
    assert.deepEqual(reg.getHistory(critic), history, "the history survives");
    const next = await reg.generate(critic, { append: [{ role: "user", content: "Still here?" }] });
    assert.ok(next.completionTokens > 0, "the old model still answers");
  });
});

/** A resolver that lets one broken file through to llama.cpp (which aborts its process on it). */
function unchecked(file: string, template: string, dir: string): ModelResolver {
  const base = libraryResolver({ modelsDir: dir });
  return {
    resolve: base.resolve,
    inspect: async (p) =>
      p === file ? { ...(await base.inspect(template)), path: p, fileName: path.basename(p), name: "missing-ffn", fingerprint: `fp1:crash-${path.basename(p)}` } : base.inspect(p),
  };
}
