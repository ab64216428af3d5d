import { test } from "node:test";
import assert from "node:assert/strict";
import { complexityScore, routeTask } from "./router.js";

test("a route pattern that backtracks catastrophically is matched in linear time", { timeout: 120_000 }, () => {
  const task = `${"a".repeat(40)}b`;
  const rules = [{ pattern: "^(a+)+$", role: "slow" }, { pattern: "(?i)A+B", role: "fast" }];
  assert.deepEqual(routeTask(task, rules, [], "first"), { role: "fast", reason: "rule 2 /(?i)A+B/i matched the task" });
  assert.equal(routeTask("nothing", rules, [], "first").role, "first");
  assert.throws(() => routeTask(task, [{ pattern: "(?=a)", role: "x" }], [], "first"), /protocol\.routes\[0\]\.pattern: not a pattern this engine runs/);
  assert.ok(complexityScore(task) >= 0);
});
