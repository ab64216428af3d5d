/**
 * Ollama backend through the official `ollama` npm client: list, pull with progress, streaming
 * chat, and `ps`/unload through `keep_alive`. Works against Ollama itself and against Conclave's own
 * `/api/*` routes. The optional API key (for Ollama behind an authenticating proxy, or a Conclave
 * host's token) is held in memory only.
 */
import { Ollama, type ChatResponse, type ProgressResponse } from "ollama";
import type { TurnRequest, TurnResult } from "../conversation/bus/TurnGenerator.js";
import { noteSecret } from "./secrets/redact.js";
import { retryAfterMs } from "./retryAfter.js";
import { remoteMessages, remoteModel, remoteProvenance, remoteSampling, remoteThought, remoteUsage } from "./remoteTurn.js";
import { BackendConfig, BackendError, asBackendError, type Backend, type BackendConfigInput, type BackendModel, type BackendProvider } from "./types.js";

/** A model Ollama holds in memory (`ps`). */
export interface LoadedModel {
  id: string;
  sizeBytes: number;
  expiresAt: Date | null;
}

/**
 * Ollama's `eval_count` counts every generated token, the thought's included, and Ollama reports no
 * split nor a tokenizer to count the content with. The total is kept exact and split between the
 * thought and the content by their share of characters (recorded as `tokensFrom: "share-of-total"`),
 * with at least one token each for a non-empty text. Without a count, both are null (estimated later
 * from characters).
 */
export function splitEvalCount(evalCount: number | null, thinking: string, content: string): { thought: number | null; content: number | null } {
  if (evalCount === null) return { thought: null, content: null };
  const t = thinking.trim().length;
  const c = content.length;
  if (t === 0) return { thought: null, content: evalCount };
  if (c === 0) return { thought: evalCount, content: 0 };
  const thought = Math.min(Math.max(1, Math.round((evalCount * t) / (t + c))), Math.max(1, evalCount - 1));
  return { thought, content: Math.max(0, evalCount - thought) };
}

export class OllamaBackend implements Backend {
  readonly config: BackendConfig;
  readonly supportsGrammar = false;
  readonly #apiKey: string | null;

  constructor(config: Omit<BackendConfigInput, "provider"> & { provider?: BackendProvider }, apiKey: string | null = null) {
    this.config = BackendConfig.parse({ ...config, provider: "ollama" });
    // Noted so the redactor removes it from anything this backend's server echoes back.
    this.#apiKey = apiKey === null ? null : noteSecret(apiKey);
  }

  get backend(): string {
    return this.config.name;
  }

  /** A client whose every request also stops when `signal` aborts (the client's own abort covers only open streams). */
  private client(signal?: AbortSignal, onBusy?: (retryAfter: number | null) => void): Ollama {
    return new Ollama({
      host: this.config.baseUrl || "http://127.0.0.1:11434",
      ...(this.#apiKey ? { headers: { authorization: `Bearer ${this.#apiKey}` } } : {}),
      fetch: async (input, init) => {
        const res = await fetch(input, { ...init, ...(signal ? { signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal } : {}) });
        // The client turns a 429/503 into an error without its headers: the wait is read here.
        if (res.status === 429 || res.status === 503) onBusy?.(retryAfterMs(res.headers.get("retry-after")));
        return res;
      },
    });
  }

  async listModels(): Promise<BackendModel[]> {
    try {
      const { models } = await this.client().list();
      return models.map((m) => ({ id: m.name, sizeBytes: m.size }));
    } catch (e) {
      throw asBackendError(this.backend, e);
    }
  }

  /** Pulls `model` (default: the configured one), reporting each progress line. */
  async pull(model = this.config.model, onProgress?: (p: ProgressResponse) => void): Promise<void> {
    try {
      const stream = await this.client().pull({ model, stream: true });
      let last = "";
      for await (const p of stream) {
        last = p.status;
        onProgress?.(p);
      }
      if (last !== "success") throw new BackendError(this.backend, `pull of ${model} ended with '${last}'`, true);
    } catch (e) {
      throw asBackendError(this.backend, e);
    }
  }

  /** Models loaded in memory right now. */
  async ps(): Promise<LoadedModel[]> {
    try {
      const { models } = await this.client().ps();
      return models.map((m) => ({ id: m.name, sizeBytes: m.size, expiresAt: m.expires_at ? new Date(m.expires_at) : null }));
    } catch (e) {
      throw asBackendError(this.backend, e);
    }
  }

  /** Unloads `model` now: Ollama's documented way is an empty generate with `keep_alive: 0`. */
  async unload(model = this.config.model): Promise<void> {
    try {
      await this.client().generate({ model, prompt: "", keep_alive: 0, stream: false });
    } catch (e) {
      throw asBackendError(this.backend, e);
    }
  }

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    const model = remoteModel(this.config, role, request);
    const sampling = remoteSampling(this.config, request);
    const startedAt = Date.now();
    let text = "";
    let firstTokenAt: number | null = null;
    let last: ChatResponse | null = null;
    let thinking = "";
    let thinkingFirstAt: number | null = null;
    let thinkingLastAt: number | null = null;
    let busyWait: number | null = null;
    const client = this.client(request.signal, (ms) => (busyWait = ms));
    try {
      const stream = await client.chat({
        model,
        messages: remoteMessages(request.turns),
        stream: true,
        ...(request.jsonSchema ? { format: request.jsonSchema } : {}),
        options: {
          temperature: sampling.temperature,
          num_predict: sampling.maxTokens,
          ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
          ...(sampling.topK !== undefined ? { top_k: sampling.topK } : {}),
          ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
        } as Record<string, number>,
      });
      const onAbort = (): void => stream.abort();
      request.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const part of stream) {
          // A thinking model's thought arrives as `message.thinking`, apart from the content.
          const thought = part.message?.thinking ?? "";
          if (thought) {
            thinkingFirstAt ??= Date.now();
            thinkingLastAt = Date.now();
            thinking += thought;
            request.onToken?.(thought, true);
          }
          const piece = part.message?.content ?? "";
          if (piece) {
            firstTokenAt ??= Date.now();
            text += piece;
            request.onToken?.(piece);
          }
          last = part;
        }
      } finally {
        request.signal?.removeEventListener("abort", onAbort);
      }
    } catch (e) {
      if (!request.signal?.aborted) {
        const error = asBackendError(this.backend, e);
        throw busyWait === null ? error : new BackendError(this.backend, error.message.replace(`${this.backend}: `, ""), true, error.status, busyWait);
      }
    }
    const aborted = request.signal?.aborted ?? false;
    // Ollama ends every stream with a `done` record; without it the server went away mid-turn.
    if (!aborted && !last?.done) throw new BackendError(this.backend, `stream ended before done after ${text.length} characters`, true);
    const counts = splitEvalCount(last?.eval_count ?? null, thinking, text);
    return {
      text,
      usage: remoteUsage({ prompt: last?.prompt_eval_count ?? null, completion: counts.content }, request.turns, text, startedAt, firstTokenAt),
      provenance: remoteProvenance(this.config, model, sampling),
      thought: remoteThought(thinking, counts.thought, thinkingFirstAt, thinkingLastAt, "share-of-total"),
      aborted,
      droppedTurns: 0,
      grammarConstrained: false,
    };
  }
}
