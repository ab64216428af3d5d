import { test } from "node:test";
import assert from "node:assert/strict";
import { tempStore } from "../../data/store/test/testSupport.js";
import { ConversationBus } from "./ConversationBus.js";
import { roleView } from "./perspective.js";
import { summaryFor } from "./contextBudget.js";

test("each role sees its own turns as assistant and others as named user turns", () => {
  const bus = new ConversationBus("s1");
  const task = bus.send({ from: "user", to: "all", type: "question", content: "Task?" });
  const p = bus.broadcast("a", "proposal", "A says");
  bus.sendTo("b", ["a"], "critique", "B to A only", { referencesTo: [p.id], confidence: 0.4 });
  bus.sendTo("system", ["c"], "system", "for c only");
  const view = roleView(bus.all(), "a", { system: "Be brief.", budgetTokens: 1000 });
  assert.deepEqual(view.turns, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Task?" },
    { role: "assistant", content: "A says" },
    { role: "user", name: "b", content: "m3 critique: B to A only" },
  ]);
  assert.deepEqual([...view.refs.keys()], ["m2", "m3"]);
  assert.equal(roleView(bus.all(), "c", { budgetTokens: 1000 }).turns.length, 3);
  assert.equal(task.seq, 1);
  assert.throws(() => bus.broadcast("a", "critique", "x", { referencesTo: ["nope"] }), /unknown message/);
});

test("subscribers get messages, tokens and speakers; a throwing subscriber breaks nothing", () => {
  const bus = new ConversationBus("s2");
  const seen: string[] = [];
  bus.subscribe(() => {
    throw new Error("bad listener");
  });
  const off = bus.subscribe((e) => seen.push(e.type));
  bus.speaker("a", "g1");
  bus.token("a", "g1", "Hel");
  bus.broadcast("a", "answer", "Hello");
  off();
  bus.broadcast("a", "answer", "unheard");
  assert.deepEqual(seen, ["speaker", "token", "message"]);
  assert.equal(bus.history({ from: "a" }).length, 2);
});

test("600-message session: committed as sent, views stay within budget under both policies", () => {
  const { store, cleanup } = tempStore();
  try {
    const session = store.createSession({ title: "long", task: "Keep talking.", protocolKind: "debate", experiment: {} });
    const bus = new ConversationBus(session.id, store);
    bus.send({ from: "user", to: "all", type: "question", content: "Keep talking." });
    const roles = ["a", "b", "c"];
    const budget = 400;
    let summaries = 0;
    for (let i = 0; i < 600; i++) {
      const role = roles[i % 3]!;
      // summarize policy for role c: fold when over budget, as the runner does before each turn.
      if (role === "c") {
        const s = summaryFor(bus.all(), "c", budget, 40);
        if (s) {
          bus.send(s);
          summaries++;
        }
      }
      const view = roleView(bus.all(), role, { system: "sys", budgetTokens: budget });
      assert.ok(view.tokens <= budget, `view of ${role} at ${i}: ${view.tokens} tokens`);
      const refs = [...view.refs.values()].slice(-2);
      bus.broadcast(role, i % 2 ? "critique" : "proposal", `turn ${i} by ${role}: ${"words ".repeat(5 + (i % 7))}`, { referencesTo: refs, round: Math.floor(i / 3) });
    }
    assert.ok(bus.size > 600);
    assert.equal(store.getSession(session.id)!.messageCount, bus.size);
    assert.ok(summaries >= 3, `summaries: ${summaries}`);
    const a = roleView(bus.all(), "a", { budgetTokens: budget });
    assert.ok(a.omitted > 500, "drop-oldest leaves old messages out of a's view");
    assert.equal(a.turns[0]!.content, "Keep talking.", "the task always stays");
    const c = roleView(bus.all(), "c", { budgetTokens: budget });
    assert.match(c.turns[1]!.content, /Summary of m\d+–m\d+/, "c's view starts with its latest summary");
    assert.ok(c.omitted < 30, `c's view is mostly summarized, not dropped (${c.omitted})`);
  } finally {
    cleanup();
  }
});
