/**
 * Memory estimates run in a process of their own with a time limit: one that runs past it is killed
 * and named, and the next estimate (and every load) goes on regardless.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { realTestModel } from "../../../../models/test/testModels.js";
import { inspectGguf } from "../library/inspectGguf.js";
import { ModelPool } from "./ModelPool.js";
import { lab, registryFixture } from "../../test/registries.js";

const fx = registryFixture("inspector");
let real: string;
before(async () => {
  real = await realTestModel();
});
after(() => fx.dispose());

test("an estimate past its time limit is killed and named; the next one and a load go on", async () => {
  const identity = await inspectGguf(real);
  // A limit no estimate can meet stands in for a header that would take minutes.
  const strict = new ModelPool({ estimateTimeoutMs: 1, warmSpare: false });
  try {
    await assert.rejects(strict.estimate(identity, 512), (e: Error & { code?: string }) => e.code === "estimate-timeout" && e.message.includes(real));
  } finally {
    await strict.dispose();
  }
  const reg = fx.make();
  const estimate = await reg.estimate(real, { contextSize: 512 });
  assert.ok(estimate.estimateBytes > 0);
  assert.equal((await reg.load(lab("after"), real)).status, "ready");
});
