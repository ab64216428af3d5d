/**
 * The drag-to-swap prediction over a real registry and real model files: a load onto an empty seat,
 * then a swap of the loaded seat to another file, against the budget the registry was given.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { distinctModels, lab, registryFixture } from "../../test/registries.js";
import { predictSwap } from "./swapPredictor.js";

const fixture = registryFixture("swap-predictor");
after(() => fixture.dispose());

test("an empty seat predicts a load; a loaded seat predicts a swap with an unload", async () => {
  const [first, second] = await distinctModels(2);
  const registry = fixture.make();
  const seat = lab("writer");

  const load = await predictSwap(registry, seat, first!);
  assert.equal(load.action, "load");
  assert.equal(load.role, "writer");
  assert.equal(load.unloadMs, 0, "nothing is unloaded from an empty seat");
  assert.ok(load.estimateBytes > 0);
  assert.ok(load.projectedTotalBytes >= load.estimateBytes, "an empty seat adds its whole estimate to what is in use");
  assert.equal(load.fitsBudget, load.projectedTotalBytes <= load.budgetBytes);
  assert.equal(load.historyTurns, 0);

  await registry.load(seat, first!, { sampling: { seed: 1, maxTokens: 8 } });
  const swap = await predictSwap(registry, seat, second!);
  assert.equal(swap.action, "swap");
  assert.ok(swap.unloadMs > 0, "the old model is unloaded first");
  assert.ok(swap.loadMs > 0);
  assert.ok(Math.abs(swap.predictedMs - (swap.unloadMs + swap.loadMs + swap.reingestMs)) < 1e-6, "the total is its parts");
  assert.ok(swap.projectedTotalBytes >= swap.estimateBytes);
  assert.match(swap.basis, /load .* GB\/s/);
});

test("a budget smaller than the model says it does not fit", async () => {
  const [model] = await distinctModels(1);
  const registry = fixture.make({ budgetBytes: 1 });
  const p = await predictSwap(registry, lab("tiny"), model!);
  assert.equal(p.fitsBudget, false);
  assert.equal(p.budgetBytes, 1);
});
