import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel, scriptedModel } from "../../../../models/test/testModels.js";
import { lab, registryFixture } from "../../test/registries.js";
import { SlotTurnGenerator } from "../bus/SlotTurnGenerator.js";
import { experiment, withSessionParts } from "../../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";
import { formatTurn, labelSchema } from "./typedFormat.js";
import type { Message } from "../../../../shared/conversation.js";

const modelMessages = (messages: readonly Message[]) => messages.filter((m) => m.provenance !== null);

test("at maxTokens 32 no model message of a roundtable loses its content (stories and a generated chat model)", async () => {
  const stories = await realTestModel();
  const chat = await generatedModel("tiny-chat");
  await withSessionParts(async ({ store, registry }) => {
    const runner = new SessionRunner({
      experiment: experiment({
        roles: [
          { name: "teller", model: stories, maxTokens: 32 },
          { name: "critic", model: chat, maxTokens: 32 },
        ],
        protocol: { kind: "roundtable", rounds: 1 },
      }),
      store,
      registry,
    });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const spoken = modelMessages(out.messages);
    assert.ok(spoken.length >= 5, `proposals, critiques, votes and a synthesis (${spoken.length})`);
    for (const m of spoken) assert.ok(m.content.trim().length > 0, `#${m.seq} ${m.from} ${m.type} is empty: ${JSON.stringify(m.repairs)}`);
    // Every repaired message keeps what the model wrote.
    for (const m of spoken) if (m.repairs.length > 0) assert.ok(m.raw !== undefined && m.raw.length > 0, `#${m.seq} repaired without its raw output`);
    // The stored messages say the same.
    const stored = store.listMessages(runner.sessionId, { limit: 1000 }).messages;
    assert.deepEqual(stored.filter((m) => m.provenance).map((m) => [m.content, m.raw]), spoken.map((m) => [m.content, m.raw]));
  });
});

test("compare columns are plain answers: the text as written, no labels asked, no repairs", async () => {
  const stories = await realTestModel();
  await withSessionParts(async ({ store, registry }) => {
    const runner = new SessionRunner({
      experiment: experiment({ roles: [{ name: "A", model: stories, maxTokens: 24 }, { name: "B", model: stories, maxTokens: 24, temperature: 1 }], protocol: { kind: "compare", vote: false } }),
      store,
      registry,
    });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const answers = modelMessages(out.messages);
    assert.equal(answers.length, 2);
    for (const m of answers) {
      assert.equal(m.type, "answer");
      assert.ok(m.content.length > 0);
      assert.deepEqual([m.repairs, m.referencesTo, m.confidence], [[], [], null]);
      // One generation, so the usage is that generation's alone.
      assert.ok(m.usage!.completionTokens <= 24, `${m.usage!.completionTokens} tokens`);
    }
  });
});

test("the label step asks for type, references and confidence only; a ballot's ranking first", () => {
  const shape = { types: ["critique", "consensus"] as const, refs: new Map([["m3", "a"]]) };
  const s = labelSchema({ ...shape, types: [...shape.types] }) as { properties: Record<string, unknown>; required: string[] };
  assert.deepEqual(s.required, ["type", "referencesTo", "confidence"]);
  const ballot = labelSchema({ types: ["vote"], refs: new Map([["A", "x"], ["B", "y"]]), exactRefs: 2 }) as { required: string[] };
  assert.deepEqual(ballot.required, ["referencesTo", "type", "confidence"]);
});

describe("exact outputs (scripted models)", () => {
  const fx = registryFixture("format");
  after(() => fx.dispose());
  const proposal = { types: ["proposal" as const], refs: new Map([["m1", "id-1"]]) };
  const ballot = { types: ["vote" as const], refs: new Map([["A", "id-a"], ["B", "id-b"]]), exactRefs: 2 };

  async function seat(script: string | string[], maxTokens: number) {
    const reg = fx.make();
    const role = `r${Math.random().toString(36).slice(2, 8)}`;
    await reg.load(lab(role), await scriptedModel(script), { sampling: { maxTokens } });
    let generations = 0;
    const generator = new SlotTurnGenerator(reg);
    const counting = { backend: generator.backend, supportsGrammar: true, generateTurn: (r: string, q: Parameters<SlotTurnGenerator["generateTurn"]>[1]) => (generations++, generator.generateTurn(r, q)) };
    return { role, generator: counting, generations: () => generations };
  }
  const LONG = '{"type":"proposal","content":"A long answer that the token limit cuts off well before it ends.","referencesTo":[],"confidence":0.5}';
  const ask = (role: string, maxTokens: number) => ({ turns: [{ role: "user" as const, content: "Go." }], sampling: { maxTokens } });

  test("a complete typed-turn JSON is taken exactly: those fields, no repair, no label step", async () => {
    const s = await seat('{"type":"proposal","content":"Use a queue.","referencesTo":["m1"],"confidence":0.8}', 64);
    const f = await formatTurn(s.generator, s.role, ask(s.role, 64), proposal, { format: "content-first", plain: false, maxTokens: 64 });
    assert.deepEqual([f.turn.type, f.turn.content, f.turn.referencesTo, f.turn.confidence, f.turn.repairs], ["proposal", "Use a queue.", ["id-1"], 0.8, []]);
    assert.equal(s.generations(), 1);
    const b = await seat('{"type":"vote","referencesTo":["B","A"],"content":"B reads better.","confidence":0.9}', 64);
    const v = await formatTurn(b.generator, b.role, ask(b.role, 64), ballot, { format: "content-first", plain: false, maxTokens: 64 });
    assert.deepEqual([v.turn.type, v.turn.labels, v.turn.referencesTo, v.turn.content, v.turn.confidence, v.turn.repairs], ["vote", ["B", "A"], ["id-b", "id-a"], "B reads better.", 0.9, []]);
    assert.equal(b.generations(), 1);
  });

  test("a JSON cut off before its content keeps what it wrote, and the label step fills in the rest", async () => {
    // Unconstrained, the model starts its long JSON; under the label grammar, only the second script fits.
    const s = await seat([LONG, '{"type":"proposal","referencesTo":["m1"],"confidence":0.7}'], 6);
    const f = await formatTurn(s.generator, s.role, ask(s.role, 6), proposal, { format: "content-first", plain: false, maxTokens: 6 });
    // Cut before its content field completed: the text as written is the content.
    assert.ok(f.result.text.length > 0 && LONG.startsWith(f.result.text), f.result.text);
    assert.equal(f.turn.content, f.result.text.trim());
    assert.deepEqual([f.turn.type, f.turn.referencesTo, f.turn.confidence], ["proposal", ["id-1"], 0.7]);
    assert.ok(f.turn.repairs.some((r) => /cut off/.test(r)));
    assert.match(f.raw, /\[labels\] \{"type":"proposal","referencesTo":\["m1"\],"confidence":0.7\}/);
    assert.equal(s.generations(), 2);
  });
});
