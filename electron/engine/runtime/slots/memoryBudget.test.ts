import { test } from "node:test";
import assert from "node:assert/strict";
import { BudgetExceededError, defaultBudget, parseSize } from "./memoryBudget.js";

const GiB = 1024 ** 3;

test("default budget is 2/3 of memory up to 36 GiB and 3/4 above", () => {
  assert.equal(defaultBudget(24 * GiB, {}).bytes, 16 * GiB);
  assert.equal(defaultBudget(64 * GiB, {}).bytes, 48 * GiB);
  assert.equal(defaultBudget(16 * GiB, {}).rule, "2/3 of this machine's 16.00 GiB total memory, the default up to 36 GiB, leaving the rest to the system and other apps");
  assert.doesNotMatch(defaultBudget(64 * GiB, {}).rule, /working-set|share/);
});

test("the environment overrides the budget", () => {
  assert.equal(defaultBudget(24 * GiB, { CONCLAVE_MEMORY_BUDGET: "6GiB" }).bytes, 6 * GiB);
  assert.equal(parseSize("512 MB"), 512e6);
  assert.equal(parseSize("lots"), null);
});

test("a refusal names the numbers", () => {
  const e = new BudgetExceededError("critic", "big.gguf", 3 * GiB, 2 * GiB, 4 * GiB, []);
  assert.match(e.message, /needs about 3\.00 GiB/);
  assert.match(e.message, /2\.00 GiB of the 4\.00 GiB budget/);
  assert.match(e.message, /1\.00 GiB more/);
});
