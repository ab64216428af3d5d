import { test } from "node:test";
import assert from "node:assert/strict";
import { ConversationBus } from "./ConversationBus.js";
import { VIEW_LOW_WATER, estimateTokens, roleView } from "./perspective.js";

const budget = 300;

test("a cut view keeps its first message while the rest fits, then cuts once to the low-water mark", () => {
  const bus = new ConversationBus("view-start");
  bus.send({ from: "user", to: "all", type: "question", content: "Tell a story together." });
  let keepFrom: number | null = null;
  const starts: number[] = [];
  let cuts = 0;
  for (let i = 0; i < 60; i++) {
    bus.broadcast(i % 2 ? "b" : "a", "proposal", `turn ${i}: ${"the fox and the turtle ".repeat(2)}`);
    const view = roleView(bus.all(), "a", { system: "Be brief.", budgetTokens: budget, keepFrom });
    assert.ok(view.tokens <= budget, `turn ${i}: ${view.tokens} tokens over ${budget}`);
    if (view.keptFrom !== null) {
      if (view.keptFrom !== keepFrom) {
        cuts++;
        // A new cut leaves room: the messages fill at most the low-water share beside the fixed turns.
        const fixed = estimateTokens("Be brief.") + estimateTokens("Tell a story together.");
        assert.ok(view.tokens <= fixed + Math.floor((budget - fixed) * VIEW_LOW_WATER), `cut at turn ${i} fills ${view.tokens}`);
      }
      starts.push(view.keptFrom);
    }
    keepFrom = view.keptFrom;
  }
  assert.ok(starts.length > 30, "the conversation outgrew the budget");
  // A sliding window would move its start every turn; behind a kept start it moves every few turns.
  assert.ok(cuts <= starts.length / 3, `${cuts} cuts over ${starts.length} cut views`);
  assert.ok(cuts >= 3, `the start does move on (${cuts} cuts)`);
});

test("without a kept start, or when the kept start no longer fits, the view is the newest messages within budget", () => {
  const bus = new ConversationBus("view-fresh");
  bus.send({ from: "user", to: "all", type: "question", content: "Go." });
  for (let i = 0; i < 40; i++) bus.broadcast("a", "proposal", `message ${i} ${"x".repeat(60)}`);
  const fresh = roleView(bus.all(), "b", { budgetTokens: budget });
  assert.ok(fresh.omitted > 0 && fresh.keptFrom !== null);
  assert.match(fresh.turns.at(-1)!.content, /message 39/, "the newest message is always shown");
  // A start far in the past cannot fit: the view is cut anew rather than overflowing.
  const stale = roleView(bus.all(), "b", { budgetTokens: budget, keepFrom: 2 });
  assert.ok(stale.tokens <= budget);
  assert.equal(stale.keptFrom, fresh.keptFrom);
  // Everything fits: no cut, whatever start is passed.
  const roomy = roleView(bus.all(), "b", { budgetTokens: 100_000, keepFrom: fresh.keptFrom });
  assert.equal(roomy.omitted, 0);
  assert.equal(roomy.keptFrom, null);
});
