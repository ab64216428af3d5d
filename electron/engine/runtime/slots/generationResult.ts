import type { WorkerResults } from "../worker/protocol.js";
import type { GenerationResult } from "../../../../shared/slots.js";

/** The contract's generation result from a model process's reply (rates in tokens per second). */
export function toGenerationResult(r: WorkerResults["generate"], droppedTurns: number): GenerationResult {
  return {
    text: r.text,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    ttftMs: r.ttftMs,
    promptTokensPerSec: r.ttftMs ? (r.promptTokens / r.ttftMs) * 1000 : null,
    // The first token's time belongs to the prompt, so generation speed counts the ones after it.
    genTokensPerSec: r.genMs > 0 && r.completionTokens > 1 ? ((r.completionTokens - 1) / r.genMs) * 1000 : null,
    aborted: r.aborted,
    contextTokens: r.contextTokens,
    droppedTurns,
    thought: r.thought,
  };
}
