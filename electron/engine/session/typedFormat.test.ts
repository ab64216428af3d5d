import { test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel } from "../../../models/test/testModels.js";
import { experiment, withSessionParts } from "../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";
import { labelSchema } from "./typedFormat.js";
import type { Message } from "../../../shared/conversation.js";

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
