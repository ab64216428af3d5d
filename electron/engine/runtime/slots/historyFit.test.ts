/**
 * Fitting a seat's history into its context on a real model: once the history outgrows the
 * context, the cut stays put while the newer turns fit behind it, so the context's prefix (and its
 * evaluated tokens) is kept between turns instead of sliding by a turn every time.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { distinctModels, lab, registryFixture } from "../../test/registries.js";

const fx = registryFixture("fit");
let file: string;

before(async () => {
  file = (await distinctModels(1))[0]!;
});
after(() => fx.dispose());

test("drop-oldest cuts to the low-water mark and keeps that cut for the next turns", async () => {
  const reg = fx.make({ defaultContextSize: 256 });
  await reg.load(lab("teller"), file, { contextSize: 256, systemPrompt: "Tell the story.", sampling: { maxTokens: 8, seed: 1 } });
  const dropped: number[] = [];
  for (let i = 0; i < 24; i++) {
    const r = await reg.generate(lab("teller"), { append: [{ role: "user", content: `Part ${i}: the fox met the turtle by the river.` }], sampling: { maxTokens: 8, seed: i } });
    dropped.push(r.droppedTurns);
  }
  const cut = dropped.filter((d) => d > 0);
  assert.ok(cut.length >= 8, `the history outgrew the context: ${dropped.join(",")}`);
  // Each step adds two turns; a sliding window would drop two more every step.
  let moves = 0;
  for (let i = 1; i < cut.length; i++) if (cut[i] !== cut[i - 1]) moves++;
  assert.ok(moves <= cut.length / 2, `the cut moved ${moves} times over ${cut.length} cut turns: ${dropped.join(",")}`);
  assert.ok(dropped.every((d, i) => i === 0 || d >= dropped[i - 1]!), "the cut only moves forward");
});
