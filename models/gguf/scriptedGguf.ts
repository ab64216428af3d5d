/**
 * Scripted GGUF models: real llama-architecture files whose weights make llama.cpp emit exactly a
 * given script, then the family's end token, whatever the prompt.
 *
 * How: one block whose attention-output and feed-forward-down weights are zero (but for a Harmony
 * thought's one marker head, see harmonyThought.ts), so the residual stream at the last layer is the
 * current token's embedding. Embeddings are one-hot over "states":
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
import { splitHarmonyThought } from "./harmonyThought.js";

/**
 * Weight of the best next-token entry; the logit is the weight times √dim (RMS norm of a one-hot
 * vector). Each later alternative at a branch gets {@link BRANCH_LOGIT_STEP} less.
 */
export const SCRIPT_LOGIT = 200;
/** Weight between alternatives at a branch, and of the last alternative against every other token. */
export const BRANCH_LOGIT_STEP = 20;
/** Weight of the Harmony "thought done" signal: below any step's own successor, above a branch step. */
const PHASE_LOGIT = 60;
/** Attention score of a marker token, against 0 for the rest: its weight beats a long context's. */
const MARKER_SCORE = 40;

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
  /**
   * Embedding width: one dimension per state (plus a constant and a signal dimension with a
   * Harmony thought), rounded up to even (RoPE rotates pairs).
   */
  dim: number;
  /** With a Harmony thought: the steps its attention head reads and the two it chooses between. */
  phase: HarmonyPhase | null;
}

/** Step indices of a Harmony thought script (see harmonyThought.ts). */
export interface HarmonyPhase {
  channel: number;
  /** The `analysis` pieces between `<|channel|>` and `<|message|>`. */
  markers: number[];
  message: number;
  thoughtFirst: number;
  answerFirst: number;
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
  let scripts = typeof script === "string" ? [script] : [...script];
  if (scripts.length === 0) throw new Error("no script given");
  const harmony = family.name === "harmony" ? scripts.map(splitHarmonyThought) : [];
  const thoughtScript = harmony.find((h) => h !== null) ?? null;
  if (thoughtScript && scripts.length > 1) throw new Error("a harmony script with a thought must be the only script");
  // The thought and the answer start apart: the answer is where the model resumes after the re-render.
  if (thoughtScript) scripts = [thoughtScript.thought, thoughtScript.answer];
  const graph = scriptGraph(scripts, family.specialTokens.map((t) => t.text));
  const stepTokens = graph.steps.map((step) => {
    if (step.kind === "special") return idOf.get(step.text)!;
    tokens.push(step.byteLevel);
    tokenTypes.push(TokenType.normal);
    return tokens.length - 1;
  });
  const eos = idOf.get(family.eos)!;
  if (stepTokens.includes(eos)) throw new Error(`script contains the end token ${family.eos}; the model adds it after the script`);
  let phase: HarmonyPhase | null = null;
  if (thoughtScript) {
    const [thought, answer] = graph.paths as [number[], number[]];
    const message = thought.findIndex((i) => graph.steps[i]!.text === "<|message|>");
    phase = { channel: thought[0]!, markers: thought.slice(1, message), message: thought[message]!, thoughtFirst: thought[message + 1]!, answerFirst: answer[0]! };
  }
  const width = graph.steps.length + 1 + (phase ? 2 : 0);
  return { family, tokens, tokenTypes, stepTokens, graph, eos, bos: idOf.get(family.bos)!, dim: width + (width % 2), phase };
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
  const attention = plan.phase ? harmonyAttention(plan, weights) : null;

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
    // A huge base makes the last RoPE pair, where the marker head's query and keys live, turn by a
    // negligible angle: its scores do not depend on distance.
    [`${arch}.rope.freq_base`, { type: "f32", value: attention ? 1e30 : 10000 }],
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
    matrix("token_embd.weight", [dim, vocab], table((token, state) => (stateOf[token] === state || state === attention?.constant ? 1 : 0))),
    norm("output_norm.weight", dim),
    matrix("output.weight", [dim, vocab], table((token, state) => weights[state]?.get(token) ?? 0)),
    norm("blk.0.attn_norm.weight", dim),
    // Element (output j, input i) of a [dim, dim] matrix is at j·dim + i.
    matrix("blk.0.attn_q.weight", [dim, dim], table((j, i) => attention?.q(j, i) ?? 0)),
    matrix("blk.0.attn_k.weight", [dim, dim], table((j, i) => attention?.k(j, i) ?? 0)),
    matrix("blk.0.attn_v.weight", [dim, dim], table((j, i) => attention?.v(j, i) ?? 0)),
    matrix("blk.0.attn_output.weight", [dim, dim], table((j, i) => (attention && j === attention.signal && i === attention.signal ? 1 : 0))),
    ...(arch === "qwen3" ? [norm("blk.0.attn_q_norm.weight", dim), norm("blk.0.attn_k_norm.weight", dim)] : []),
    norm("blk.0.ffn_norm.weight", dim),
    matrix("blk.0.ffn_gate.weight", [dim, ff]),
    matrix("blk.0.ffn_up.weight", [dim, ff]),
    matrix("blk.0.ffn_down.weight", [ff, dim]),
  ];
  const written = await writeGguf(path, { kv, tensors });
  return { path, template, vocabSize: vocab, steps: plan.graph.steps.length, dim, bytesWritten: written.bytesWritten };
}

/**
 * The marker head of a Harmony thought model (see harmonyThought.ts) and the output weights it
 * drives, added to `weights`. Dimension `constant` is 1 in every embedding, so the query is the
 * same everywhere; keys are large on marker tokens only; values put +1 (`<|channel|>`) or −2 (an
 * `analysis` piece) on dimension `signal`, which the output reads: positive signal moves a prompt's
 * last token and `<|message|>` to the answer's first step and away from the thought's.
 */
function harmonyAttention(plan: ScriptPlan, weights: Map<number, number>[]) {
  const phase = plan.phase!;
  const { dim } = plan;
  const constant = plan.graph.steps.length + 1;
  const signal = constant + 1;
  const pair = dim - 2; // the last RoPE pair
  // RMS norm of an embedding (one state plus the constant): each 1 becomes √(dim/2).
  const c = Math.sqrt(dim / 2);
  const state = (step: number) => step + 1;
  const markerValue = new Map<number, number>([[state(phase.channel), 1], ...phase.markers.map((m) => [state(m), -2] as [number, number])]);
  const tokenOf = (step: number) => plan.stepTokens[step]!;
  const answer = tokenOf(phase.answerFirst);
  const resume = SCRIPT_LOGIT - BRANCH_LOGIT_STEP;
  weights[state(phase.message)]!.set(answer, resume);
  weights[signal] = new Map([
    [answer, PHASE_LOGIT],
    [tokenOf(phase.thoughtFirst), -PHASE_LOGIT],
    [tokenOf(phase.channel), -PHASE_LOGIT],
  ]);
  return {
    constant,
    signal,
    q: (j: number, i: number) => (j === pair && i === constant ? 1 : 0),
    // score = q·k/√dim = c·(c·κ)/√dim
    k: (j: number, i: number) => (j === pair && markerValue.has(i) ? (MARKER_SCORE * Math.sqrt(dim)) / (c * c) : 0),
    v: (j: number, i: number) => (j === signal ? (markerValue.get(i) ?? 0) / c : 0),
  };
}
