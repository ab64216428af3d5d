/**
 * What remote backends share: the role's view as chat messages, sampling capped by the backend's
 * token limit, and provenance that names the remote model (remote servers report no GGUF fingerprint).
 */
import { SamplingParams, type ChatTurn, type SamplingParams as Sampling } from "../../../shared/slots.js";
import type { Provenance, Thought, Usage } from "../../../shared/conversation.js";
import type { TurnRequest } from "../conversation/bus/TurnGenerator.js";
import type { BackendConfig } from "./types.js";

/** The request's sampling with the backend's `maxTokens` as the default and the cap. */
export function remoteSampling(config: BackendConfig, request: TurnRequest): Sampling {
  const asked = request.sampling?.maxTokens;
  return SamplingParams.parse({
    ...request.sampling,
    maxTokens: Math.min(config.maxTokens, asked ?? config.maxTokens),
  });
}

/** Chat messages for a remote API: another role's turn keeps its speaker as `name`. */
export function remoteMessages(turns: readonly ChatTurn[]): { role: ChatTurn["role"]; content: string; name?: string }[] {
  return turns.map((t) => (t.name ? { role: t.role, content: t.content, name: t.name } : { role: t.role, content: t.content }));
}

export function remoteProvenance(config: BackendConfig, model: string, sampling: Sampling): Provenance {
  return {
    modelName: model,
    fingerprint: `remote:${config.provider}:${config.name}/${model}`,
    quantization: "unknown",
    sampling,
    seed: sampling.seed ?? null,
    runtime: `${config.provider}:${config.name}`,
  };
}

/** Usage from the server's counts, or estimated at ~4 characters a token when it sent none. */
export function remoteUsage(
  counts: { prompt: number | null; completion: number | null },
  turns: readonly ChatTurn[],
  text: string,
  startedAt: number,
  firstTokenAt: number | null,
): Usage {
  const promptTokens = counts.prompt ?? Math.ceil(turns.reduce((s, t) => s + t.content.length, 0) / 4);
  const completionTokens = counts.completion ?? Math.ceil(text.length / 4);
  const genMs = firstTokenAt === null ? null : Date.now() - firstTokenAt;
  return {
    promptTokens,
    completionTokens,
    ttftMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
    tokensPerSec: genMs && genMs > 0 && completionTokens > 0 ? (completionTokens * 1000) / genMs : null,
  };
}

/**
 * The model id a turn asks for: the backend's configured model, else the request's own (a
 * pass-through), else the role as `role:<name>` (a Conclave host serving the same committee).
 */
export function remoteModel(config: BackendConfig, role: string, request: TurnRequest): string {
  const asked = (request as TurnRequest & { model?: unknown }).model;
  return config.model || (typeof asked === "string" && asked ? asked : `role:${role}`);
}

/**
 * A remote reasoning field (OpenAI-compatible `reasoning_content`, Ollama's `thinking`) as the
 * message's thought: the count the server gave (`from` says how it was derived), else ~4 characters a
 * token; the time from its first to its last streamed piece, when it streamed.
 */
export function remoteThought(
  text: string,
  reportedTokens: number | null,
  firstAt: number | null,
  lastAt: number | null,
  from: "reported" | "share-of-total" = "reported",
): Thought | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return {
    text: trimmed,
    tokens: reportedTokens ?? Math.ceil(trimmed.length / 4),
    tokensFrom: reportedTokens === null ? "characters" : from,
    ms: firstAt !== null && lastAt !== null ? lastAt - firstAt : null,
    cut: false,
  };
}
