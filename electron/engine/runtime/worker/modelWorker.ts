/**
 * Entry point of a model process: one `Llama`, at most one loaded model file, and one context per
 * context key (a seat, or a group of parallel sequences). It runs as a Node child process
 * (headless) or an Electron utilityProcess (desktop); a llama.cpp abort here takes down only this
 * process, which the engine's supervisor reports as an error on the slots it served.
 */
import {
  getLlama,
  GgufInsights,
  LlamaChatSession,
  LlamaLogLevel,
  resolveChatWrapper,
  readGgufFileInfo,
  TokenMeter,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { WorkerRequest, type WorkerEvent, type WorkerMessage, type WorkerRequestBody, type WorkerResults } from "./protocol.js";
import { toChatHistory } from "./chatHistory.js";
import { measureProcess } from "./processMemory.js";
import { defaultThreads } from "./threads.js";
import { ThoughtRecorder } from "./thoughtRecorder.js";
import { DEFAULT_THOUGHT_BUDGET, type ChatTurn } from "../../../../shared/slots.js";

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}
function emit(event: WorkerEvent): void {
  post({ kind: "event", event });
}

/**
 * Native memory llama.cpp spends per vocabulary entry (token text, score, lookup maps), which
 * GgufInsights omits. Measured with node-llama-cpp 3.22.1: about 25 MB for a 32k vocabulary and
 * about 130 MB for a 152k one, i.e. 780-860 bytes a token.
 */
const VOCAB_BYTES_PER_TOKEN = 820;

/**
 * Memory a model load adds beyond its tensors and vocabulary (loader, backend buffers, thread pool).
 * Measured here with node-llama-cpp 3.22.1 on the CPU: 9-15 MB of RSS for models from 260K to 400M params.
 */
const MODEL_RUNTIME_BYTES = 12e6;

/**
 * Whether a load maps the file when the engine does not say. On the CPU backend, no: llama.cpp
 * repacks quantized weights (Q4_0, Q8_0…) into its own buffers, so a mapped file keeps a second,
 * file-backed copy resident beside them, which whole-process RSS counts and the budget's measure
 * (processMemory.ts) cannot see. Measured here on a 71 MB Q4_0 file: mapped, 92 MB anonymous plus
 * 70 MB of file pages; read, the same anonymous growth and no file pages, in the same load time. Read
 * also puts unrepacked (F16, F32) weights where the measure counts them. On a GPU backend (Metal
 * above all) the mapping is what hands the weights to the GPU without a copy, so it stays on.
 */
function defaultUseMmap(gpu: Llama["gpu"]): boolean | undefined {
  return gpu === false ? false : undefined;
}

interface Context {
  context: LlamaContext;
  sequences: { sequence: LlamaContextSequence; chat: LlamaChatSession }[];
}

let llama: Llama;
let model: LlamaModel | null = null;
let chatWrapper: ChatWrapper | null = null;
const contexts = new Map<string, Context>();
const generations = new Map<string, AbortController>();
const grammars = new Map<string, LlamaGrammar>();

function requireModel(): LlamaModel {
  if (!model) throw new Error("no model is loaded in this process");
  return model;
}

function requireSequence(key: string, index: number): Context["sequences"][number] {
  const open = contexts.get(key);
  if (!open) throw new Error(`no context '${key}' in this model process`);
  const seq = open.sequences[index];
  if (!seq) throw new Error(`context '${key}' has no sequence ${index}`);
  return seq;
}

/**
 * Token count of turns as this model's chat template formats them: the same text a prefill
 * evaluates (history plus the pending user turn, without the generation prefix).
 */
function countTokens(turns: readonly ChatTurn[]): number {
  const m = requireModel();
  chatWrapper ??= resolveChatWrapper(m);
  const { history, prompt } = toChatHistory(turns);
  if (prompt) history.push({ type: "user", text: prompt });
  const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(m.tokenizer).length;
}

/**
 * Streamed text goes to the engine in small batches: the first chunk at once (time to first token
 * stays honest), then at most every 15 ms. One IPC message per token costs a fast model a quarter of
 * its speed; 15 ms is below what a reader of the stream can notice. A batch never mixes the thought
 * segment with the answer.
 */
function tokenStream(generationId: string): { push(text: string, thought: boolean): void; flush(): void } {
  let pending = "";
  let pendingThought = false;
  let timer: NodeJS.Timeout | null = null;
  let sentAny = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending) emit({ type: "token", generationId, text: pending, ...(pendingThought ? { thought: true as const } : {}) });
    pending = "";
  };
  return {
    push(text, thought) {
      if (pending && thought !== pendingThought) flush();
      pendingThought = thought;
      pending += text;
      if (!sentAny) {
        sentAny = true;
        flush();
      } else timer ??= setTimeout(flush, 15);
    },
    flush,
  };
}

async function grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    // The schema was validated as a JSON object by the engine; node-llama-cpp checks its shape.
    grammar = await llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
    grammars.set(key, grammar);
  }
  return grammar;
}

/**
 * The schema's JSON or free text that does not start with `{`: a content-first turn is free, but a
 * model that answers in JSON is held to the typed turn (its type among those allowed).
 */
async function freeOrJsonGrammar(schema: Record<string, unknown>): Promise<LlamaGrammar> {
  const key = `free|${JSON.stringify(schema)}`;
  let grammar = grammars.get(key);
  if (!grammar) {
    const json = await grammarFor(schema);
    const rules = json.grammar.replace(/^root ::=/m, "typed ::=");
    grammar = await llama.createGrammar({
      grammar: `root ::= typed | free\nfree ::= [ \\t\\n]* [^{ \\t\\n] [^\\x00]*\n${rules}`,
      stopGenerationTriggers: ["\n\n\n\n"],
      trimWhitespaceSuffix: true,
    });
    grammars.set(key, grammar);
  }
  return grammar;
}

const handlers: { [Op in WorkerRequestBody["op"]]: (body: Extract<WorkerRequestBody, { op: Op }>) => Promise<WorkerResults[Op]> } = {
  async load(body) {
    if (model) throw new Error(`this process already serves ${model.filename ?? "a model"}`);
    llama.maxThreads = body.threads;
    const t0 = performance.now();
    model = await llama.loadModel({
      modelPath: body.modelPath,
      useMmap: body.useMmap ?? defaultUseMmap(llama.gpu),
      onLoadProgress: (progress) => emit({ type: "progress", progress }),
    });
    return {
      loadMs: performance.now() - t0,
      memory: await measureProcess(),
      modelBytes: model.size,
      trainContextSize: model.trainContextSize,
      useMmap: model.useMmap,
    };
  },

  async openContext(body) {
    const m = requireModel();
    if (contexts.has(body.key)) throw new Error(`context '${body.key}' is already open`);
    const context = await m.createContext({
      contextSize: Math.min(body.contextSize, m.trainContextSize),
      sequences: body.sequences,
      batchSize: body.batchSize,
      // Without this node-llama-cpp re-creates the context at a smaller size when memory looks
      // short; the engine has already checked the budget and wants the size it asked for.
      ignoreMemorySafetyChecks: true,
    });
    const sequences = Array.from({ length: body.sequences }, () => {
      const sequence = context.getSequence();
      return { sequence, chat: new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false }) };
    });
    contexts.set(body.key, { context, sequences });
    return { contextSize: context.contextSize, sequences: body.sequences, memory: await measureProcess(), stateBytes: 0 };
  },

  async closeContext(body) {
    const open = contexts.get(body.key);
    if (open) {
      contexts.delete(body.key);
      for (const s of open.sequences) s.chat.dispose({ disposeSequence: true });
      await open.context.dispose();
    }
    return { memory: await measureProcess() };
  },

  async unload() {
    for (const controller of generations.values()) controller.abort();
    for (const [key, open] of [...contexts]) {
      contexts.delete(key);
      for (const s of open.sequences) s.chat.dispose({ disposeSequence: true });
      await open.context.dispose();
    }
    const loaded = model;
    model = null;
    await loaded?.dispose();
    return { memory: await measureProcess() };
  },

  async prefill(body) {
    const { sequence, chat } = requireSequence(body.key, body.sequence);
    const meter = sequence.tokenMeter.getState();
    const t0 = performance.now();
    const { history, prompt } = toChatHistory(body.turns);
    chat.setChatHistory(history);
    await chat.preloadPrompt(prompt);
    return {
      tokens: sequence.nextTokenIndex,
      evaluatedTokens: TokenMeter.diff(sequence.tokenMeter, meter).usedInputTokens,
      ms: performance.now() - t0,
    };
  },

  async generate(body) {
    const { sequence, chat } = requireSequence(body.key, body.sequence);
    const controller = new AbortController();
    generations.set(body.generationId, controller);
    try {
      const { history, prompt } = toChatHistory(body.turns);
      chat.setChatHistory(history);
      const s = body.sampling;
      const stream = tokenStream(body.generationId);
      const thought = new ThoughtRecorder();
      const t0 = performance.now();
      let firstTokenAt: number | null = null;
      let promptTokens = 0;
      let completionTokens = 0;
      // Only a template with thought segments can think; the others generate exactly maxTokens.
      const thinks = chat.chatWrapper.settings.segments?.thought !== undefined;
      const thoughtBudget = thinks ? (s.thoughtBudget ?? DEFAULT_THOUGHT_BUDGET) : 0;
      // A model that thinks generates free (a grammar would forbid its thought segment).
      const grammar = !body.jsonSchema || (body.orFreeText && thinks) ? undefined : body.orFreeText ? await freeOrJsonGrammar(body.jsonSchema) : await grammarFor(body.jsonSchema);
      let answerCut = false;
      let answerStarted = false;
      const text = await chat.prompt(prompt, {
        // The answer keeps its own maxTokens beside the thought's budget: thinking never eats it.
        maxTokens: s.maxTokens + thoughtBudget,
        ...(thinks ? { budgets: { thoughtTokens: thoughtBudget } } : {}),
        temperature: s.temperature,
        topP: s.topP,
        topK: s.topK,
        minP: s.minP,
        seed: s.seed,
        repeatPenalty: s.repeatPenalty ? { penalty: s.repeatPenalty } : undefined,
        grammar,
        signal: controller.signal,
        stopOnAbortSignal: true,
        onResponseChunk(chunk) {
          if (chunk.tokens.length > 0 && firstTokenAt === null) {
            firstTokenAt = performance.now();
            promptTokens = sequence.nextTokenIndex - chunk.tokens.length;
          }
          if (chunk.type === "segment") {
            // Comment segments (Harmony's) are neither thought nor answer; they are not kept.
            if (chunk.segmentType !== "thought") return;
            thought.add(chunk.text, chunk.tokens.length, chunk.segmentEndTime !== undefined);
            if (chunk.text) stream.push(chunk.text, true);
            return;
          }
          completionTokens += chunk.tokens.length;
          // Templates put a blank line between the thought and the answer; the answer starts after it.
          let piece = chunk.text;
          if (!answerStarted && thought.any) piece = piece.replace(/^\s+/, "");
          if (piece) answerStarted = true;
          // A short thought leaves the shared limit above maxTokens: the answer stops at its own.
          if (thinks && completionTokens >= s.maxTokens && !controller.signal.aborted) {
            answerCut = true;
            controller.abort();
          }
          if (piece) stream.push(piece, false);
        },
      });
      stream.flush();
      const end = performance.now();
      return {
        text: thought.any ? text.trimStart() : text,
        promptTokens,
        completionTokens,
        ttftMs: firstTokenAt === null ? null : firstTokenAt - t0,
        genMs: firstTokenAt === null ? 0 : end - firstTokenAt,
        aborted: controller.signal.aborted && !answerCut,
        contextTokens: sequence.nextTokenIndex,
        thought: thought.result(thoughtBudget),
      };
    } finally {
      generations.delete(body.generationId);
    }
  },

  async abort(body) {
    const controller = generations.get(body.generationId);
    controller?.abort();
    return { found: controller !== undefined };
  },

  async fitHistory(body) {
    const totalTokens = countTokens(body.turns);
    const firstNonSystem = body.turns.findIndex((t) => t.role !== "system");
    if (totalTokens <= body.maxTokens || firstNonSystem < 0) {
      return { keptFrom: Math.max(0, firstNonSystem), tokens: totalTokens, totalTokens };
    }
    const system = body.turns.slice(0, firstNonSystem);
    const rest = body.turns.slice(firstNonSystem);
    if (body.preferFrom !== undefined && body.preferFrom > firstNonSystem && body.preferFrom < body.turns.length) {
      const tokens = countTokens([...system, ...body.turns.slice(body.preferFrom)]);
      if (tokens <= body.maxTokens) return { keptFrom: body.preferFrom, tokens, totalTokens };
    }
    const target = Math.min(body.maxTokens, body.lowWater ?? body.maxTokens);
    // Token count falls monotonically as older turns are dropped, so the first index that fits
    // can be found by bisection: O(log n) tokenizations even for 500-turn sessions.
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (countTokens([...system, ...rest.slice(mid)]) <= target) hi = mid;
      else lo = mid + 1;
    }
    return { keptFrom: firstNonSystem + lo, tokens: countTokens([...system, ...rest.slice(lo)]), totalTokens };
  },

  async saveState(body) {
    const { sequence } = requireSequence(body.key, body.sequence);
    const t0 = performance.now();
    const { fileSize } = await sequence.saveStateToFile(body.file);
    return { bytes: fileSize, tokens: sequence.nextTokenIndex, ms: performance.now() - t0 };
  },

  async loadState(body) {
    const { sequence } = requireSequence(body.key, body.sequence);
    const t0 = performance.now();
    await sequence.loadStateFromFile(body.file, { acceptRisk: true });
    return { tokens: sequence.nextTokenIndex, ms: performance.now() - t0 };
  },

  async setThreads(body) {
    llama.maxThreads = body.threads;
    return { threads: llama.maxThreads };
  },

  async estimate(body) {
    const info = await readGgufFileInfo(body.modelPath);
    const insights = await GgufInsights.from(info, llama);
    const contextSize = Math.min(body.contextSize, insights.trainContextSize ?? body.contextSize);
    const tokens = info.metadata.tokenizer?.ggml?.tokens;
    const weights = insights.estimateModelResourceRequirements({ gpuLayers: 0 });
    const context = insights.estimateContextResourceRequirements({
      contextSize,
      modelGpuLayers: 0,
      sequences: body.sequences,
      batchSize: body.batchSize,
      // The graph-overhead term models GPU compute buffers; on the CPU it overshoots measured
      // RSS by 50-100 MB for a 100M model (see README "Memory budget").
      includeGraphOverhead: llama.gpu !== false,
    });
    return {
      weightsBytes: weights.cpuRam + weights.gpuVram,
      contextBytes: context.cpuRam + context.gpuVram,
      vocabBytes: (Array.isArray(tokens) ? tokens.length : 0) * VOCAB_BYTES_PER_TOKEN,
      runtimeBytes: MODEL_RUNTIME_BYTES,
      trainContextSize: insights.trainContextSize ?? contextSize,
      contextSize,
    };
  },

  async stats() {
    return {
      memory: await measureProcess(),
      heapBytes: process.memoryUsage().heapUsed,
      threads: llama.maxThreads,
      contexts: contexts.size,
      gpu: llama.gpu,
    };
  },
};

async function handle(raw: unknown): Promise<void> {
  const parsed = WorkerRequest.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "number" ? raw.id : -1;
    post({ kind: "reply", id, ok: false, error: { message: `invalid request: ${parsed.error.message}`, code: "bad-request" } });
    return;
  }
  const { id, body } = parsed.data;
  try {
    const handler = handlers[body.op] as (b: WorkerRequestBody) => Promise<unknown>;
    post({ kind: "reply", id, ok: true, result: await handler(body) });
  } catch (error) {
    post({ kind: "reply", id, ok: false, error: { message: error instanceof Error ? error.message : String(error) } });
  }
}

function gpuSetting(): "auto" | false | "metal" | "cuda" | "vulkan" {
  const env = process.env.CONCLAVE_GPU;
  if (env === "metal" || env === "cuda" || env === "vulkan" || env === "auto") return env;
  if (env === "off" || env === "false") return false;
  // Metal on Apple silicon; elsewhere CPU unless CONCLAVE_GPU asks for a backend, because probing
  // CUDA/Vulkan prebuilds on a machine without them costs seconds at every process start.
  return process.platform === "darwin" ? "auto" : false;
}

async function main(): Promise<void> {
  llama = await getLlama({
    build: "never",
    gpu: gpuSetting(),
    logLevel: LlamaLogLevel.error,
    logger: (level, message) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[llama] ${message}\n`);
    },
  });
  llama.maxThreads = defaultThreads(llama.cpuMathCores);
  if (parentPort) parentPort.on("message", (e) => void handle(e.data));
  else process.on("message", (m) => void handle(m));
  // A model process has no reason to outlive its engine.
  process.on("disconnect", () => process.exit(0));
  emit({ type: "ready", pid: process.pid, memory: await measureProcess(), cpuMathCores: llama.cpuMathCores, gpu: llama.gpu });
}

main().catch((error: unknown) => {
  process.stderr.write(`model process failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
