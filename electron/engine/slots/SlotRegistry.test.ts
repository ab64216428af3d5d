/**
 * The slot engine against the real runtime: real GGUF files (stories260K when ../shared has it,
 * generated models otherwise) in real model processes. No mocks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SlotRegistry } from "./SlotRegistry.js";
import { libraryResolver } from "../library/libraryResolver.js";
import { generatedModel, realTestModel } from "../../../models/testModels.js";
import { writeBrokenGguf } from "../../../models/gguf/brokenGguf.js";
import type { EngineEvent } from "../../../shared/slots.js";
import type { ModelResolver } from "./SlotRegistry.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-slots-"));
let real: string;
let chat: string;
const registries: SlotRegistry[] = [];

function registry(options: Partial<ConstructorParameters<typeof SlotRegistry>[0]> = {}): SlotRegistry {
  const r = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 1024, ...options });
  registries.push(r);
  return r;
}

before(async () => {
  real = await realTestModel();
  chat = await generatedModel("tiny-chat");
});
after(async () => {
  await Promise.all(registries.map((r) => r.dispose()));
  rmSync(tmp, { recursive: true, force: true });
});

describe("role slots", () => {
  test("two roles on the same file share one model process and generate concurrently, streaming", async () => {
    const reg = registry();
    const tokens: Record<string, string> = { analyzer: "", critic: "" };
    reg.onEvent((e: EngineEvent) => {
      if (e.type === "token") tokens[e.role] += e.text;
    });
    await reg.load("analyzer", real, { sampling: { seed: 1, maxTokens: 24 } });
    const critic = await reg.load("critic", real, { sampling: { seed: 2, maxTokens: 24 } });
    assert.equal(critic.status, "ready");
    assert.deepEqual(critic.sharedWith, ["analyzer"]);
    assert.equal(reg.get("analyzer")?.pid, critic.pid, "one process serves both roles");
    assert.match(critic.model?.fingerprint ?? "", /^fp1:/);

    const [a, c] = await Promise.all([
      reg.generate("analyzer", { append: [{ role: "user", content: "Once upon a time" }] }),
      reg.generate("critic", { append: [{ role: "user", content: "The little dog" }] }),
    ]);
    assert.ok(a.completionTokens > 0 && c.completionTokens > 0);
    assert.equal(tokens.analyzer, a.text, "streamed tokens add up to the turn");
    assert.equal(tokens.critic, c.text);
    const info = reg.get("analyzer")!;
    assert.ok(info.metrics.ttftMs !== null && info.metrics.genTokensPerSec !== null && info.metrics.tokensSoFar === a.completionTokens);
    assert.equal(reg.getHistory("analyzer").at(-1)?.content, a.text);
  });

  test("the same seed reproduces the same text; abort stops a generation", async () => {
    const reg = registry();
    await reg.load("writer", real, { sampling: { seed: 7, temperature: 0.9, maxTokens: 32 } });
    const turns = [{ role: "user" as const, content: "Lily found a red ball" }];
    const first = await reg.generate("writer", { turns });
    const second = await reg.generate("writer", { turns });
    assert.equal(first.text, second.text);

    let id = "";
    const aborted = reg.generate("writer", {
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
    const result = await aborted;
    assert.equal(result.aborted, true);
    assert.ok(result.completionTokens < 2000);
  });

  test("parallel sequences on one shared model", async () => {
    const reg = registry();
    await reg.load("analyzer", real, { sampling: { maxTokens: 16, seed: 3 } });
    const prompts = [0, 1, 2, 3].map((i) => [{ role: "user" as const, content: `Story number ${i}:` }]);
    const results = await reg.sampleParallel("analyzer", prompts);
    assert.equal(results.length, 4);
    for (const r of results) assert.ok(r.completionTokens > 0);
  });
});

describe("hot-swap", () => {
  test("a role swapped mid-conversation carries its whole history into the new model", async () => {
    const reg = registry();
    await reg.load("critic", real, { systemPrompt: "You judge stories.", sampling: { seed: 4, maxTokens: 24 } });
    await reg.generate("critic", { append: [{ role: "user", name: "analyzer", content: "Once upon a time a cat sat." }] });
    await reg.generate("critic", { append: [{ role: "user", name: "writer", content: "The cat ran to the park." }] });
    const history = reg.getHistory("critic");

    const event = await reg.hotSwap("critic", chat);
    assert.equal(event.outcome, "ok", event.error ?? "");
    assert.equal(event.historyTurns, history.length);
    assert.equal(event.keptTurns, history.length, "nothing was dropped");
    assert.equal(event.droppedTurns, 0);
    assert.ok(event.tokensReingested >= event.historyTokens, `context holds ${event.tokensReingested} tokens, history is ${event.historyTokens}`);
    assert.ok(event.historyTokens > 20);
    assert.ok(event.loadMs > 0 && event.prefillMs > 0);
    assert.deepEqual(reg.getHistory("critic"), history);
    assert.equal(reg.get("critic")?.model?.path, chat);

    const next = await reg.generate("critic", { append: [{ role: "user", content: "And then?" }] });
    assert.ok(next.promptTokens >= event.tokensReingested, "the next turn builds on the re-ingested history");

    const back = await reg.hotSwap("critic", real);
    assert.equal(back.outcome, "ok");
    assert.equal(back.usedSavedState, true, "swap-back restores the saved KV state");
    assert.ok(back.tokensEvaluated < back.tokensReingested, `evaluated ${back.tokensEvaluated} of ${back.tokensReingested}`);
  });

  test("history longer than the new context is compressed by dropping the oldest turns, and the event says so", async () => {
    const reg = registry();
    await reg.load("writer", real, { contextSize: 2048, sampling: { maxTokens: 16 } });
    const long = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: `Turn ${i}: the little bird sang a long song about the sun and the sea.` }));
    reg.setHistory("writer", [{ role: "system", content: "Keep me." }, ...long]);
    const event = await reg.hotSwap("writer", chat, { contextSize: 256 });
    assert.equal(event.outcome, "ok", event.error ?? "");
    assert.equal(event.compression, "drop-oldest");
    assert.ok(event.droppedTurns > 0 && event.keptTurns < event.historyTurns);
    assert.ok(event.tokensReingested <= 256);
    assert.equal(reg.getHistory("writer").length, 61, "the engine keeps the full record");
  });

  test("a swap to a bad file keeps the old model; a model process dying mid-swap does too", async () => {
    const reg = registry();
    await reg.load("analyzer", real);
    const truncated = path.join(tmp, "truncated.gguf");
    await writeBrokenGguf(truncated, "truncated");
    const bad = await reg.hotSwap("analyzer", truncated);
    assert.equal(bad.outcome, "failed-kept-old");
    assert.match(bad.error ?? "", /truncated/i);
    assert.equal(reg.get("analyzer")?.status, "ready");

    // A file the validator would refuse, let through to llama.cpp, which aborts its process.
    const missingKey = path.join(tmp, "missing-ffn.gguf");
    await writeBrokenGguf(missingKey, "missing-key");
    const base = libraryResolver({ modelsDir: tmp });
    const unchecked: ModelResolver = {
      resolve: base.resolve,
      inspect: async (p) => (p === missingKey ? { ...(await base.inspect(real)), path: p, fileName: "missing-ffn.gguf", name: "missing-ffn", fingerprint: "fp1:crash" } : base.inspect(p)),
    };
    const reg2 = registry({ resolver: unchecked });
    await reg2.load("critic", real, { sampling: { maxTokens: 8 } });
    const crashed = await reg2.hotSwap("critic", missingKey);
    assert.equal(crashed.outcome, "failed-kept-old");
    assert.match(crashed.error ?? "", /exited unexpectedly|aborted/);
    const after = await reg2.generate("critic", { append: [{ role: "user", content: "Still here?" }] });
    assert.ok(after.completionTokens > 0, "the old model still answers");
  });
});

describe("memory budget", () => {
  test("a load over budget is refused with the numbers; LRU eviction skips pinned slots", async () => {
    const probe = registry();
    await probe.load("a", real, { contextSize: 512 });
    const one = (await probe.memory()).estimatedTotalBytes;
    await probe.dispose();

    const strict = registry({ budgetBytes: Math.floor(one * 1.5), defaultContextSize: 512 });
    await strict.load("a", real);
    await assert.rejects(strict.load("b", chat), (e: Error) => /Not enough memory budget.*needs about .* budget/s.test(e.message));
    assert.equal(strict.get("b")?.status, "error");
    assert.equal(strict.get("a")?.status, "ready");

    const lru = registry({ budgetBytes: Math.floor(one * 2.2), defaultContextSize: 512, eviction: "evict-lru" });
    await lru.load("pinned", real, { pinned: true });
    await lru.load("old", chat);
    await lru.load("new", await generatedModel("tiny"));
    assert.equal(lru.get("pinned")?.status, "ready");
    assert.equal(lru.get("old")?.status, "empty");
    assert.match(lru.get("old")?.error ?? "", /evicted/);
    assert.equal(lru.get("new")?.status, "ready");
  });

  test("measured usage is reported beside the estimate", async () => {
    const reg = registry();
    await reg.load("a", real);
    const report = await reg.memory();
    const proc = report.processes.find((p) => p.roles.includes("a"));
    assert.ok(proc && proc.rssBytes > proc.baselineRssBytes && proc.estimateBytes > 0);
    assert.ok(report.budgetBytes > 0 && report.budgetRule.length > 0);
  });
});

describe("bad files and crashes", () => {
  test("every bad file gets a specific error and the engine keeps running", async () => {
    const reg = registry();
    const cases = {
      truncated: /truncated/i,
      garbage: /not a GGUF|magic/i,
      "unsupported-architecture": /architecture/i,
      "missing-key": /feed_forward_length|missing/i,
    } as const;
    for (const [kind, pattern] of Object.entries(cases)) {
      const file = path.join(tmp, `bad-${kind}.gguf`);
      await writeBrokenGguf(file, kind as keyof typeof cases);
      await assert.rejects(reg.load(`r-${kind}`, file), pattern, kind);
      assert.equal(reg.get(`r-${kind}`)?.status, "error");
    }
    await assert.rejects(reg.load("missing", path.join(tmp, "nope.gguf")), /not found|no such|missing/i);
    const ok = await reg.load("fine", real);
    assert.equal(ok.status, "ready");
  });

  test("a model process killed mid-generation puts its slots in error; the rest goes on", async () => {
    const reg = registry();
    await reg.load("victim", real, { sampling: { maxTokens: 4000 } });
    await reg.load("survivor", chat, { sampling: { maxTokens: 8 } });
    const pid = reg.get("victim")!.pid!;
    const running = reg.generate("victim", { append: [{ role: "user", content: "Tell a very long story" }], onToken: () => process.kill(pid, "SIGKILL") });
    await assert.rejects(running, /exited unexpectedly/);
    assert.equal(reg.get("victim")?.status, "error");
    const r = await reg.generate("survivor", { append: [{ role: "user", content: "Hi" }] });
    assert.ok(r.completionTokens > 0);
    const reloaded = await reg.load("victim", real);
    assert.equal(reloaded.status, "ready", "a crashed role can be loaded again, history intact");
  });

  test("30 load/swap cycles keep memory bounded", async () => {
    const reg = registry({ warmSpare: true });
    await reg.load("cycler", real, { sampling: { maxTokens: 4 } });
    reg.setHistory("cycler", [{ role: "user", content: "A short history to carry." }]);
    const measure = async () => {
      const m = await reg.memory();
      return m.mainRssBytes + m.measuredTotalBytes;
    };
    for (let i = 0; i < 4; i++) await reg.hotSwap("cycler", i % 2 ? real : chat);
    const start = await measure();
    for (let i = 0; i < 30; i++) {
      const e = await reg.hotSwap("cycler", i % 2 ? real : chat);
      assert.equal(e.outcome, "ok", e.error ?? "");
    }
    const growthMb = ((await measure()) - start) / 1e6;
    assert.ok(growthMb < 60, `whole-app RSS grew ${growthMb.toFixed(1)} MB over 30 swaps`);
  });
});
