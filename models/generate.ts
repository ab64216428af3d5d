/**
 * CLI: generate a llama-architecture GGUF model (or a deliberately broken one).
 *
 *   node --import tsx models/generate.ts --out x.gguf --preset small-100m
 *   node --import tsx models/generate.ts --out x.gguf --dim 768 --layers 12 --heads 12 --ff 2048 --type f16
 *   node --import tsx models/generate.ts --out 7b.gguf --preset 7b --type q4_0
 *   node --import tsx models/generate.ts --out bad.gguf --broken truncated
 *   node --import tsx models/generate.ts --out m.gguf --script answer.txt --template qwen3
 */
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { writeLlamaGguf, type LlamaGgufOptions } from "./gguf/llamaGguf.js";
import { PRESETS, PRESET_NAMES, isPresetName } from "./gguf/presets.js";
import { BROKEN_KINDS, writeBrokenGguf, type BrokenKind } from "./gguf/brokenGguf.js";
import { writeScriptedGguf } from "./gguf/scriptedGguf.js";
import { SCRIPT_TEMPLATES, isScriptTemplate } from "./gguf/templateFamilies.js";

const USAGE = `usage: generate.ts --out FILE [--preset NAME] [options]
  --preset NAME      ${PRESET_NAMES.join(", ")} (default tiny); other options override it
  --vocab N          built-in tokenizer vocab size
  --dim N --layers N --heads N --kv-heads N --ff N --ctx N
  --type f32|f16|q4_0|q8_0   matrix storage type (q4_0/q8_0: ggml block quantization)
  --weights random|pattern   --seed N
  --template FILE    copy the tokenizer from this GGUF (e.g. ../shared/models/stories260K.gguf)
  --chat | --no-chat add a ChatML template (and control tokens) | drop any template
  --tie              tie output to the token embedding
  --name NAME        general.name
  --broken KIND      write a broken file instead: ${BROKEN_KINDS.join(", ")}
  --script FILE      write a scripted model instead: it answers every prompt with FILE's exact text
                     (then its end token); repeat --script for alternatives, of which the model
                     answers with the first a grammar allows; with --script, --template FAMILY
                     picks the chat template:
                     ${SCRIPT_TEMPLATES.join(", ")} (default chatml)`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string", short: "o" }, preset: { type: "string" }, vocab: { type: "string" },
      dim: { type: "string" }, layers: { type: "string" }, heads: { type: "string" }, "kv-heads": { type: "string" },
      ff: { type: "string" }, ctx: { type: "string" }, type: { type: "string" }, weights: { type: "string" },
      seed: { type: "string" }, template: { type: "string" }, chat: { type: "boolean" }, "no-chat": { type: "boolean" },
      tie: { type: "boolean" }, name: { type: "string" }, broken: { type: "string" }, script: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.out) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (values.script !== undefined) {
    const family = values.template ?? "chatml";
    if (!isScriptTemplate(family)) throw new Error(`unknown --template family "${family}" for --script; families: ${SCRIPT_TEMPLATES.join(", ")}`);
    const script = await Promise.all(
      values.script.map((file) =>
        readFile(resolve(file), "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new Error(`cannot read --script file ${file}: ${error.code ?? error.message}`);
        }),
      ),
    );
    const started = performance.now();
    const result = await writeScriptedGguf(resolve(values.out), { script, template: family, ...(values.name ? { name: values.name } : {}) });
    console.log(JSON.stringify({ ...result, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }));
    return;
  }
  const presetName = values.preset ?? positionals[0] ?? "tiny";
  if (!isPresetName(presetName)) throw new Error(`unknown preset "${presetName}"; presets: ${PRESET_NAMES.join(", ")}`);
  const type = values.type?.toUpperCase();
  if (type !== undefined && type !== "F32" && type !== "F16" && type !== "Q4_0" && type !== "Q8_0") {
    throw new Error(`--type must be f32, f16, q4_0 or q8_0, got "${values.type}"`);
  }
  if (values.weights !== undefined && values.weights !== "random" && values.weights !== "pattern") {
    throw new Error(`--weights must be random or pattern, got "${values.weights}"`);
  }

  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const options: LlamaGgufOptions = {
    ...PRESETS[presetName],
    ...defined({
      vocabSize: int("vocab", values.vocab), dim: int("dim", values.dim), layers: int("layers", values.layers),
      heads: int("heads", values.heads), kvHeads: int("kv-heads", values["kv-heads"]), ff: int("ff", values.ff),
      contextLength: int("ctx", values.ctx), tensorType: type, weights: values.weights, seed: int("seed", values.seed),
      tokenizerTemplate: values.template ? resolve(values.template) : undefined,
      chatTemplate: values.chat ? true : values["no-chat"] ? false : undefined,
      tieEmbeddings: values.tie, name: values.name,
    }),
  };
  const out = resolve(values.out);
  const started = performance.now();
  if (values.broken !== undefined) {
    if (!(BROKEN_KINDS as readonly string[]).includes(values.broken)) {
      throw new Error(`unknown --broken kind "${values.broken}"; kinds: ${BROKEN_KINDS.join(", ")}`);
    }
    await writeBrokenGguf(out, values.broken as BrokenKind, { base: options });
    console.log(JSON.stringify({ path: out, broken: values.broken }));
    return;
  }
  const result = await writeLlamaGguf(out, options);
  console.log(JSON.stringify({ ...result, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
