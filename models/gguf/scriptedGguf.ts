/**
 * Scripted GGUF models: real llama-architecture files whose weights make llama.cpp emit exactly a
 * given script, then the family's end token, whatever the prompt.
 *
 * How: one block whose attention-output and feed-forward-down weights are zero, so the residual
 * stream at the last layer is the current token's embedding. Embeddings are one-hot over "states":
 * state s (1..n) for the token of script step s, state 0 for every other token. `output.weight` maps
 * state 0 to step 1, state s to step s+1 and the last step to the end token, with a logit gap
 * (at least {@link BRANCH_LOGIT_STEP}·√dim against 0) that no temperature, penalty or sampler the
 * engine uses can overturn. The vocabulary is byte-level BPE ("gpt2") with no merges: prompts
 * tokenize into the 256 byte tokens and the family's special tokens, never into script pieces, so
 * every prompt starts the script at step 1.
 *
 * Several scripts share their common beginning and branch where they differ: there the earlier
 * script's next step gets the highest logit and each later one a step less, so without a grammar the
 * first script wins and under a grammar the first script it allows does.
 */
import { writeGguf, type GgufKv, type GgufTensorSpec } from "./ggufWriter.js";
import { BYTE_CHARS } from "./byteLevelBpe.js";
import { END, scriptGraph, type ScriptGraph } from "./scriptGraph.js";
import { TEMPLATE_FAMILIES, type ScriptTemplate, type TemplateFamily } from "./templateFamilies.js";
import { TokenType, tokenizerKvs, type TokenizerSpec } from "./tokenizerSpec.js";

/**
 * Weight of the best next-token entry; the logit is the weight times √dim (RMS norm of a one-hot
 * vector). Each later alternative at a branch gets {@link BRANCH_LOGIT_STEP} less.
 */
export const SCRIPT_LOGIT = 200;
/** Weight between alternatives at a branch, and of the last alternative against every other token. */
export const BRANCH_LOGIT_STEP = 20;

/** What to script. */
export interface ScriptedGgufOptions {
  /**
   * The exact text the model answers with (before its end token), or several: the model answers with
   * the first one a grammar allows (the first of all without a grammar).
   */
  script: string | readonly string[];
  /** Chat-template family (tokens and `tokenizer.chat_template`). Default "chatml". */
  template?: ScriptTemplate;
  /** `general.name`; default the family's. */
  name?: string;
}

/** The vocabulary and next-token table of a scripted model. */
export interface ScriptPlan {
  family: TemplateFamily;
  tokens: string[];
  tokenTypes: number[];
  /** Token id of each step of the graph. */
  stepTokens: number[];
  graph: ScriptGraph;
  eos: number;
  bos: number;
  /** Embedding width: one dimension per state, rounded up to even (RoPE rotates pairs). */
  dim: number;
}

/** What {@link writeScriptedGguf} wrote. */
export interface ScriptedGgufResult {
  path: string;
  template: ScriptTemplate;
  vocabSize: number;
  steps: number;
  dim: number;
  bytesWritten: number;
}

/** Build the vocabulary and step graph for `script` in `template`'s family. */
export function planScript(script: string | readonly string[], template: ScriptTemplate = "chatml"): ScriptPlan {
  const family = TEMPLATE_FAMILIES[template];
  if (!family) throw new Error(`unknown template family "${String(template)}"`);
  const tokens: string[] = [...BYTE_CHARS];
  const tokenTypes: number[] = BYTE_CHARS.map(() => TokenType.normal);
  const idOf = new Map<string, number>(tokens.map((t, i) => [t, i]));
  for (const t of family.specialTokens) {
    idOf.set(t.text, tokens.length);
    tokens.push(t.text);
    tokenTypes.push(t.type === "control" ? TokenType.control : TokenType.userDefined);
  }
  const scripts = typeof script === "string" ? [script] : [...script];
  if (scripts.length === 0) throw new Error("no script given");
  const graph = scriptGraph(scripts, family.specialTokens.map((t) => t.text));
  const stepTokens = graph.steps.map((step) => {
    if (step.kind === "special") return idOf.get(step.text)!;
    tokens.push(step.byteLevel);
    tokenTypes.push(TokenType.normal);
    return tokens.length - 1;
  });
  const eos = idOf.get(family.eos)!;
  if (stepTokens.includes(eos)) throw new Error(`script contains the end token ${family.eos}; the model adds it after the script`);
  const states = graph.steps.length + 1;
  return { family, tokens, tokenTypes, stepTokens, graph, eos, bos: idOf.get(family.bos)!, dim: states + (states % 2) };
}

function tokenizer(plan: ScriptPlan): TokenizerSpec {
  const { family } = plan;
  return {
    model: "gpt2",
    tokens: plan.tokens,
    scores: null,
    tokenTypes: plan.tokenTypes,
    chatTemplate: family.chatTemplate,
    extra: [
      // No merges: text never tokenizes into a script piece, only into byte tokens.
      ["tokenizer.ggml.merges", { type: "array", itemType: "string", values: [] }],
      ["tokenizer.ggml.pre", { type: "string", value: "default" }],
      ["tokenizer.ggml.bos_token_id", { type: "u32", value: plan.bos }],
      ["tokenizer.ggml.eos_token_id", { type: "u32", value: plan.eos }],
      ["tokenizer.ggml.padding_token_id", { type: "u32", value: plan.bos }],
      ["tokenizer.ggml.add_bos_token", { type: "bool", value: family.addBos }],
      ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ],
  };
}

/** Write the scripted model for `options` to `path`. */
export async function writeScriptedGguf(path: string, options: ScriptedGgufOptions): Promise<ScriptedGgufResult> {
  const template = options.template ?? "chatml";
  const plan = planScript(options.script, template);
  const { dim, family } = plan;
  const vocab = plan.tokens.length;
  const arch = family.architecture;
  const ff = 2;

  const stateOf = new Int32Array(vocab); // 0 for every token that is not a script step
  plan.stepTokens.forEach((id, i) => (stateOf[id] = i + 1));
  // weights[state]: next token id → weight, the best successor highest.
  const weights = [plan.graph.start, ...plan.graph.next].map((successors) => {
    const row = new Map<number, number>();
    successors.forEach((step, rank) => row.set(step === END ? plan.eos : plan.stepTokens[step]!, SCRIPT_LOGIT - rank * BRANCH_LOGIT_STEP));
    return row;
  });

  const kv: GgufKv[] = [
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: options.name ?? family.generalName }],
    ["general.file_type", { type: "u32", value: 0 }],
    [`${arch}.vocab_size`, { type: "u32", value: vocab }],
    [`${arch}.context_length`, { type: "u32", value: 8192 }],
    [`${arch}.embedding_length`, { type: "u32", value: dim }],
    [`${arch}.block_count`, { type: "u32", value: 1 }],
    [`${arch}.feed_forward_length`, { type: "u32", value: ff }],
    [`${arch}.attention.head_count`, { type: "u32", value: 1 }],
    [`${arch}.attention.head_count_kv`, { type: "u32", value: 1 }],
    [`${arch}.attention.key_length`, { type: "u32", value: dim }],
    [`${arch}.attention.value_length`, { type: "u32", value: dim }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: "f32", value: 1e-6 }],
    [`${arch}.rope.dimension_count`, { type: "u32", value: dim }],
    [`${arch}.rope.freq_base`, { type: "f32", value: 10000 }],
    ...tokenizerKvs(tokenizer(plan)),
  ];

  const zeros: GgufTensorSpec["fill"] = (out) => out.fill(0);
  const ones: GgufTensorSpec["fill"] = (out) => out.fill(1);
  const matrix = (name: string, dims: number[], fill: GgufTensorSpec["fill"] = zeros): GgufTensorSpec => ({ name, dims, type: "F32", fill });
  const norm = (name: string, size: number): GgufTensorSpec => ({ name, dims: [size], type: "F32", fill: ones });
  // Element (column j, row s) of a [dim, vocab] tensor is at j·dim + s.
  const table = (value: (token: number, state: number) => number): GgufTensorSpec["fill"] => (out, first) => {
    for (let i = 0; i < out.length; i++) {
      const e = first + i;
      out[i] = value(Math.floor(e / dim), e % dim);
    }
  };
  const tensors: GgufTensorSpec[] = [
    matrix("token_embd.weight", [dim, vocab], table((token, state) => (stateOf[token] === state ? 1 : 0))),
    norm("output_norm.weight", dim),
    matrix("output.weight", [dim, vocab], table((token, state) => weights[state]?.get(token) ?? 0)),
    norm("blk.0.attn_norm.weight", dim),
    matrix("blk.0.attn_q.weight", [dim, dim]),
    matrix("blk.0.attn_k.weight", [dim, dim]),
    matrix("blk.0.attn_v.weight", [dim, dim]),
    matrix("blk.0.attn_output.weight", [dim, dim]),
    ...(arch === "qwen3" ? [norm("blk.0.attn_q_norm.weight", dim), norm("blk.0.attn_k_norm.weight", dim)] : []),
    norm("blk.0.ffn_norm.weight", dim),
    matrix("blk.0.ffn_gate.weight", [dim, ff]),
    matrix("blk.0.ffn_up.weight", [dim, ff]),
    matrix("blk.0.ffn_down.weight", [ff, dim]),
  ];
  const written = await writeGguf(path, { kv, tensors });
  return { path, template, vocabSize: vocab, steps: plan.graph.steps.length, dim, bytesWritten: written.bytesWritten };
}
