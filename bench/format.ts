/**
 * The typed message format at a small token limit (group `format`): `emptyContentShare` is the share
 * of model messages with empty content in a roundtable (one round, vote, synthesis) at
 * `maxTokens: 32` on the stories model and a generated chat model. Both designs of
 * electron/engine/conversation/session/typedFormat.ts run on the same experiment and seed, so the figure of the
 * design the engine uses stands beside the one it was chosen over: `content-first` (free text, then a
 * short grammar-held label step) against `json-grammar` (one grammar-held JSON with a token reserve
 * for its scaffolding). Beside the share: the mean content length, the share of repaired messages
 * and the run's time, since a design could reach 0 by writing one character.
 */
import { generatedModel, realTestModel } from "../models/test/testModels.js";
import { experiment, withSessionParts } from "../electron/engine/test/sessions.js";
import { SessionRunner } from "../electron/engine/conversation/session/SessionRunner.js";
import type { TypedFormat } from "../electron/engine/conversation/session/typedFormat.js";

export interface FormatFigures {
  format: TypedFormat;
  messages: number;
  empty: number;
  emptyContentShare: number;
  meanContentChars: number;
  repairedShare: number;
  ms: number;
}

export interface FormatBenchResult {
  /** The engine's design (content-first). */
  emptyContentShare: number;
  designs: FormatFigures[];
}

async function runDesign(format: TypedFormat, stories: string, chat: string): Promise<FormatFigures> {
  return withSessionParts(async ({ store, registry }) => {
    const runner = new SessionRunner({
      experiment: experiment({
        seed: 7,
        roles: [
          { name: "teller", model: stories, maxTokens: 32 },
          { name: "critic", model: chat, maxTokens: 32 },
        ],
        protocol: { kind: "roundtable", rounds: 1 },
      }),
      store,
      registry,
      typedFormat: format,
    });
    const t0 = performance.now();
    const out = await runner.run();
    const ms = performance.now() - t0;
    if (out.status !== "completed") throw new Error(`${format}: session ${out.status}: ${out.error ?? ""}`);
    const spoken = out.messages.filter((m) => m.provenance !== null);
    const empty = spoken.filter((m) => m.content.trim() === "").length;
    return {
      format,
      messages: spoken.length,
      empty,
      emptyContentShare: spoken.length ? empty / spoken.length : 0,
      meanContentChars: spoken.reduce((s, m) => s + m.content.length, 0) / Math.max(1, spoken.length),
      repairedShare: spoken.filter((m) => m.repairs.length > 0).length / Math.max(1, spoken.length),
      ms,
    };
  });
}

export async function benchFormat(log: (line: string) => void = () => {}): Promise<FormatBenchResult> {
  const stories = await realTestModel();
  const chat = await generatedModel("tiny-chat");
  const designs: FormatFigures[] = [];
  for (const format of ["content-first", "json-grammar"] as const) {
    log(`typed format ${format}: roundtable at maxTokens 32…`);
    designs.push(await runDesign(format, stories, chat));
  }
  return { emptyContentShare: designs[0]!.emptyContentShare, designs };
}
