import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SessionBudgets } from "./SessionBudget.js";
import { isFree, turnCost } from "./cost.js";
import type { MetricInput } from "../../../../shared/conversation.js";

describe("cost and budgets", () => {
  test("cost per 1K tokens in and out; local is free", () => {
    assert.equal(turnCost({ pricePer1kInput: 0.5, pricePer1kOutput: 1.5 }, { promptTokens: 2000, completionTokens: 500 }), 1.75);
    assert.ok(isFree({ pricePer1kInput: 0, pricePer1kOutput: 0 }));
  });

  test("the switch to local happens once, at the threshold, and is recorded", () => {
    const metrics: MetricInput[] = [];
    const b = new SessionBudgets({ recordMetric: (m) => metrics.push(m) });
    const heard: string[] = [];
    b.onSwitch((s) => heard.push(s.reason));
    b.setLimit("s", { limit: 1, switchAt: 0.5 });
    assert.equal(b.add("s", "cloud", 0.3), null);
    assert.equal(b.localOnly("s"), null);
    assert.ok(b.add("s", "cloud", 0.3));
    assert.ok(b.localOnly("s"));
    assert.equal(b.add("s", "cloud", 0.3), null, "recorded once");
    assert.equal(heard.length, 1);
    assert.ok(Math.abs((b.spent("s").byBackend.cloud ?? 0) - 0.9) < 1e-9);
    assert.equal(metrics.filter((m) => m.name === "budget.switchedToLocal").length, 1);
    assert.equal(b.localOnly("other"), null);
  });

  test("reservations: running turns hold their worst case, so together they stay within the limit", () => {
    const b = new SessionBudgets();
    b.setLimit("s", { limit: 1 });
    const first = b.reserve("s", 0.4);
    const second = b.reserve("s", 0.4);
    assert.ok(first && second);
    assert.equal(b.reserve("s", 0.4), null, "a third would pass the limit");
    assert.ok(Math.abs((b.available("s") ?? 0) - 0.2) < 1e-9);
    b.settle(first, "cloud", 0.1);
    b.release(second);
    assert.ok(Math.abs((b.available("s") ?? 0) - 0.9) < 1e-9, "settled at its real cost, the other given back");
    assert.ok(b.reserve("s", 0.8));
    assert.ok(b.reserve("free", 1e9), "no limit, no refusal");
  });
});
