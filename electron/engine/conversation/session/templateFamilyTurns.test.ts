import { test } from "node:test";
import assert from "node:assert/strict";
import type { Experiment } from "../../../../shared/experiment.js";
import { scriptedModel, type ScriptTemplate } from "../../../../models/test/testModels.js";
import { withSessionParts } from "../../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";

const FAMILIES: readonly ScriptTemplate[] = ["chatml", "llama3", "qwen3", "deepseek-r1", "harmony", "gemma", "mistral", "phi3"];
const ANSWER = '{"type":"answer","content":"Four: 2+2=4.","referencesTo":[],"confidence":0.9}';

/**
 * The engine's turns run under the typed-turn grammar, which starts at `{`: a `<think>` family's
 * scripted model offers its thought first and the bare JSON second, and the grammar takes the JSON.
 * Under a grammar the Harmony wrapper opens the final channel at once, so the harmony model's
 * thought is skipped and its answer comes.
 */
function scriptsFor(template: ScriptTemplate): string[] {
  if (template === "qwen3" || template === "deepseek-r1") return [`<think>\nTwo and two.\n</think>\n\n${ANSWER}`, ANSWER];
  if (template === "harmony") return [`<|channel|>analysis<|message|>Two and two.<|end|>${ANSWER}`];
  return [ANSWER];
}

test("a committee turn runs on every template family: formatted by the family's wrapper, parsed with no repairs", async () => {
  await withSessionParts(async ({ store, registry }) => {
    for (const template of FAMILIES) {
      const experiment: Experiment = {
        title: `family ${template}`, task: "What is 2+2?", seed: 3, swaps: [], context: { policy: "drop-oldest" },
        roles: [{ name: "solo", model: await scriptedModel(scriptsFor(template), { template }), maxTokens: 160, contextSize: 1024, temperature: 1 }],
        protocol: { kind: "route" },
      };
      const runner = new SessionRunner({ experiment, store, registry });
      const out = await runner.run();
      assert.equal(out.status, "completed", `${template}: ${out.error ?? ""}`);
      const turn = out.messages.find((m) => m.from === "solo" && m.provenance);
      assert.ok(turn, `${template}: the role answered`);
      assert.deepEqual(
        { type: turn.type, content: turn.content, referencesTo: turn.referencesTo, confidence: turn.confidence, repairs: turn.repairs },
        { type: "answer", content: "Four: 2+2=4.", referencesTo: [], confidence: 0.9, repairs: [] },
        template,
      );
    }
  });
});
