/**
 * OpenAI-compatible HTTP backend (LM Studio, llama-server, vLLM, cloud APIs, another Conclave):
 * `POST {baseUrl}/chat/completions` streamed by SSE through plain fetch. The API key is held in
 * memory only and sent as a bearer header; it never enters errors, results or logs.
 */
import type { TurnRequest, TurnResult } from "../conversation/bus/TurnGenerator.js";
import { noteSecret } from "./secrets/redact.js";
import { remoteMessages, remoteModel, remoteProvenance, remoteSampling, remoteThought, remoteUsage } from "./remoteTurn.js";
import { sseData } from "./sse.js";
import { retryAfterMs } from "./retryAfter.js";
import { BackendConfig, BackendError, asBackendError, type Backend, type BackendConfigInput, type BackendModel, type BackendProvider } from "./types.js";

interface ChunkChoice {
  /** `reasoning_content`: a reasoning server's thought (DeepSeek, vLLM), streamed before the content. */
  delta?: { content?: string | null; reasoning_content?: string | null };
  finish_reason?: string | null;
}
interface Chunk {
  choices?: ChunkChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } } | null;
  error?: { message?: string };
}

interface Counts {
  prompt: number | null;
  completion: number | null;
  reasoning: number | null;
}
interface ThoughtStream {
  text: string;
  firstAt: number | null;
  lastAt: number | null;
}

export class OpenAiBackend implements Backend {
  readonly config: BackendConfig;
  readonly supportsGrammar = false;
  readonly #apiKey: string | null;

  constructor(config: Omit<BackendConfigInput, "provider"> & { provider?: BackendProvider }, apiKey: string | null = null) {
    this.config = BackendConfig.parse({ ...config, provider: "openai" });
    // Noted so the redactor removes it from anything this backend's server echoes back.
    this.#apiKey = apiKey === null ? null : noteSecret(apiKey);
  }

  get backend(): string {
    return this.config.name;
  }

  private url(path: string): string {
    return `${this.config.baseUrl.replace(/\/+$/, "")}${path}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}) };
  }

  async listModels(): Promise<BackendModel[]> {
    const res = await fetch(this.url("/models"), { headers: this.headers() }).catch((e: unknown) => {
      throw asBackendError(this.backend, e);
    });
    if (!res.ok) throw new BackendError(this.backend, `GET /models answered ${res.status}`, res.status >= 500, res.status);
    const body = (await res.json()) as { data?: { id: string }[] };
    return (body.data ?? []).map((m) => ({ id: m.id, sizeBytes: null }));
  }

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    const model = remoteModel(this.config, role, request);
    const sampling = remoteSampling(this.config, request);
    const startedAt = Date.now();
    const body = {
      model,
      messages: remoteMessages(request.turns),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: sampling.maxTokens,
      temperature: sampling.temperature,
      ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
      ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
      ...(request.jsonSchema ? { response_format: { type: "json_schema", json_schema: { name: "turn", schema: request.jsonSchema } } } : {}),
    };
    let res: Response;
    try {
      res = await fetch(this.url("/chat/completions"), {
        method: "POST",
        headers: this.headers({ "content-type": "application/json", accept: "text/event-stream" }),
        body: JSON.stringify(body),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (e) {
      throw asBackendError(this.backend, e);
    }
    if (!res.ok || !res.body) {
      const detail = (await res.text().catch(() => "")).slice(0, 300);
      const wait = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get("retry-after")) : null;
      throw new BackendError(this.backend, `POST /chat/completions answered ${res.status}: ${detail}`, res.status >= 500 || res.status === 429, res.status, wait);
    }
    let text = "";
    let firstTokenAt: number | null = null;
    let finished = false;
    const counts: Counts = { prompt: null, completion: null, reasoning: null };
    const thought: ThoughtStream = { text: "", firstAt: null, lastAt: null };
    try {
      for await (const data of sseData(res.body)) {
        if (data === "[DONE]") {
          finished = true;
          break;
        }
        const chunk = JSON.parse(data) as Chunk;
        if (chunk.error) throw new BackendError(this.backend, chunk.error.message ?? "stream error", true);
        for (const choice of chunk.choices ?? []) {
          const reasoning = choice.delta?.reasoning_content;
          if (reasoning) {
            thought.firstAt ??= Date.now();
            thought.lastAt = Date.now();
            thought.text += reasoning;
            request.onToken?.(reasoning, true);
          }
          const piece = choice.delta?.content;
          if (piece) {
            firstTokenAt ??= Date.now();
            text += piece;
            request.onToken?.(piece);
          }
        }
        if (chunk.usage) {
          counts.prompt = chunk.usage.prompt_tokens ?? null;
          counts.completion = chunk.usage.completion_tokens ?? null;
          counts.reasoning = chunk.usage.completion_tokens_details?.reasoning_tokens ?? null;
        }
      }
    } catch (e) {
      if (request.signal?.aborted) return this.result(model, sampling, request, text, thought, counts, startedAt, firstTokenAt, true);
      throw asBackendError(this.backend, e);
    }
    if (request.signal?.aborted) return this.result(model, sampling, request, text, thought, counts, startedAt, firstTokenAt, true);
    // A stream cut before [DONE] (server killed, proxy reset) is a failure, not a short answer.
    if (!finished) throw new BackendError(this.backend, `stream ended before [DONE] after ${text.length} characters`, true);
    return this.result(model, sampling, request, text, thought, counts, startedAt, firstTokenAt, false);
  }

  private result(
    model: string,
    sampling: ReturnType<typeof remoteSampling>,
    request: TurnRequest,
    text: string,
    thought: ThoughtStream,
    counts: Counts,
    startedAt: number,
    firstTokenAt: number | null,
    aborted: boolean,
  ): TurnResult {
    // Servers count reasoning tokens inside completion_tokens; the answer's usage leaves them out.
    const reasoningTokens = counts.reasoning ?? (thought.text ? Math.ceil(thought.text.length / 4) : 0);
    const answerCounts = { prompt: counts.prompt, completion: counts.completion === null ? null : Math.max(0, counts.completion - reasoningTokens) };
    return {
      text,
      usage: remoteUsage(answerCounts, request.turns, text, startedAt, firstTokenAt),
      thought: remoteThought(thought.text, counts.reasoning, thought.firstAt, thought.lastAt),
      provenance: remoteProvenance(this.config, model, sampling),
      aborted,
      droppedTurns: 0,
      // A provider may honour response_format, but nothing here enforces it: parse leniently.
      grammarConstrained: false,
    };
  }
}
