/** The front door's settings: the budget's order of precedence, clearing it, eviction and keep-warm. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createEngine } from "./createEngine.js";
import { engineParts } from "./engineParts.js";

test("a budget set in Settings applies, clearing it restores the default rule, and the choice survives a restart", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "conclave-engine-"));
  const saved = process.env.CONCLAVE_MEMORY_BUDGET;
  delete process.env.CONCLAVE_MEMORY_BUDGET;
  const open = (budgetBytes?: number) =>
    createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), log: () => undefined, ...(budgetBytes ? { budgetBytes } : {}) });
  try {
    const engine = await open();
    const defaultRule = (await engine.slots.memory()).budgetRule;
    assert.match(defaultRule, /of .* total memory/);
    const set = await engine.settings.set({ memoryBudgetBytes: 3e9, eviction: "refuse", keepWarmMs: 2500 });
    assert.equal(set.memoryBudgetBytes, 3e9);
    assert.equal((await engine.slots.memory()).budgetBytes, 3e9);
    assert.equal(engineParts(engine).registry.eviction, "refuse");
    const cleared = await engine.settings.set({ memoryBudgetBytes: null });
    assert.equal(cleared.memoryBudgetBytes, null);
    assert.equal((await engine.slots.memory()).budgetRule, defaultRule, "clearing the budget restores the default rule");
    await engine.dispose();

    const again = await open();
    assert.deepEqual({ ...(await again.settings.get()), dbPath: "" }, { ...cleared, dbPath: "" });
    await again.dispose();

    const flagged = await open(1.5e9);
    assert.equal((await flagged.slots.memory()).budgetBytes, 1.5e9, "--memory-budget wins over Settings");
    assert.match((await flagged.slots.memory()).budgetRule, /--memory-budget/);
    await flagged.dispose();
  } finally {
    if (saved !== undefined) process.env.CONCLAVE_MEMORY_BUDGET = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});
