/**
 * The budget's say in `execution.concurrency`, on a real registry with real estimates: a budget with
 * room for every task in flight keeps the asked concurrency, a tighter one lowers it and says why.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { Experiment } from "../../../shared/experiment.js";
import { realTestModel } from "../../../models/test/testModels.js";
import { registryFixture } from "../test/registries.js";
import { admittedConcurrency } from "./concurrencyAdmission.js";

const fx = registryFixture("concurrency");
after(() => fx.dispose());

test("concurrency is lowered to the tasks the budget holds at once, with the reason", async () => {
  const model = await realTestModel();
  const experiment = Experiment.parse({
    title: "t",
    task: "q",
    roles: [
      { name: "a", model, contextSize: 1024 },
      { name: "b", model, contextSize: 1024 },
    ],
    protocol: { kind: "roundtable", rounds: 1 },
    tasks: [{ id: "x", prompt: "1 + 1?" }],
    execution: { concurrency: 4 },
  });
  const reg = fx.make({ warmSpare: false });
  const estimate = await reg.estimate(model, { contextSize: 1024 });
  const need = await reg.seatNeed(estimate.identity, 1024);
  const perTask = 3 * need.context;
  // What the budget always holds back (the estimate inspector's process, and a spare when kept)
  // comes off the top before any task.
  const shared = need.weights + need.process + reg.usage().reservedBytes;

  reg.budget = { bytes: shared + 4 * perTask + 1e6, rule: "test" };
  assert.deepEqual(await admittedConcurrency(reg, experiment, 4), { concurrency: 4, limitedBy: null });

  reg.budget = { bytes: shared + 2 * perTask + 1e6, rule: "test" };
  const two = await admittedConcurrency(reg, experiment, 4);
  assert.equal(two.concurrency, 2);
  assert.match(two.limitedBy ?? "", /holds 2 tasks at once/);

  reg.budget = { bytes: shared + perTask / 2, rule: "test" };
  assert.equal((await admittedConcurrency(reg, experiment, 4)).concurrency, 1, "never below one task");
  assert.deepEqual(await admittedConcurrency(reg, experiment, 1), { concurrency: 1, limitedBy: null });
});
