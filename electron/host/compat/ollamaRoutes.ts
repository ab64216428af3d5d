/**
 * Ollama-compatible routes: `GET /api/tags`, `GET /api/ps`, `GET /api/version`, `POST /api/chat`,
 * `POST /api/generate` and `POST /api/pull`, streamed as NDJSON by default as Ollama does. An empty
 * chat or prompt loads the model; with `keep_alive: 0` it unloads it (Ollama's unload idiom).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ChatTurn, SamplingInput } from "../../../shared/slots.js";
import { CompatModels, type CompatServices } from "./compatModels.js";
import type { ApiModel as CompatModel } from "../../../shared/apiModels.js";
import { redact } from "../../engine/engineTools.js";
import { HttpError, checkSchemaDepth, clientGone, parseJsonBody, routingHeaders, sendJson } from "./http.js";

// The engine's own bounds (shared/slots.ts SamplingParams), so a bad number is this request's 400.
// num_predict below 1 is Ollama's "no limit", which here means the engine's default.
const Options = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    num_predict: z.number().int().max(32768).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    top_k: z.number().int().nonnegative().optional(),
    min_p: z.number().min(0).max(1).optional(),
    repeat_penalty: z.number().min(0).max(5).optional(),
    seed: z.number().int().nonnegative().optional(),
  })
  .partial()
  .optional();
const KeepAlive = z.union([z.string(), z.number()]).optional();
const Format = z.union([z.string(), z.record(z.string(), z.unknown())]).optional();

const ChatBody = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.string() })).default([]),
  stream: z.boolean().default(true),
  options: Options,
  keep_alive: KeepAlive,
  format: Format,
});
const GenerateBody = z.object({
  model: z.string().min(1),
  prompt: z.string().default(""),
  system: z.string().optional(),
  stream: z.boolean().default(true),
  options: Options,
  keep_alive: KeepAlive,
  format: Format,
});
const PullBody = z.object({ model: z.string().min(1).optional(), name: z.string().min(1).optional(), stream: z.boolean().default(true) });

/** A handler for the `/api/*` Ollama routes; resolves true when it answered the request. */
export function ollamaRoutes(services: CompatServices): (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<boolean> {
  const models = new CompatModels(services);
  return async (req, res, url, text) => {
    if (!url.pathname.startsWith("/api/")) return false;
    try {
      const route = `${req.method ?? "GET"} ${url.pathname}`;
      switch (route) {
        case "GET /api/version":
          sendJson(res, 200, { version: "0.0.0-conclave" });
          return true;
        case "GET /api/tags":
          sendJson(res, 200, { models: (await models.list()).map(describe) });
          return true;
        case "GET /api/ps":
          sendJson(res, 200, { models: (await models.list()).filter((m) => m.loaded).map((m) => ({ ...describe(m), expires_at: new Date(Date.now() + 3_600_000).toISOString(), size_vram: 0 })) });
          return true;
        case "POST /api/chat": {
          const body = parse(ChatBody, parseJsonBody(text));
          const turns: ChatTurn[] = body.messages.map((m) => ({ role: m.role === "tool" ? "user" : m.role, content: m.content }));
          await answer(models, req, res, body, turns, "chat");
          return true;
        }
        case "POST /api/generate": {
          const body = parse(GenerateBody, parseJsonBody(text));
          const turns: ChatTurn[] = body.prompt ? [...(body.system ? [{ role: "system" as const, content: body.system }] : []), { role: "user", content: body.prompt }] : [];
          await answer(models, req, res, body, turns, "generate");
          return true;
        }
        case "POST /api/pull": {
          const body = parse(PullBody, parseJsonBody(text));
          await pull(models, res, body.model ?? body.name ?? "", body.stream);
          return true;
        }
        default:
          sendJson(res, 404, { error: `no route ${route}` });
          return true;
      }
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      const message = redact(e instanceof Error ? e.message : String(e));
      if (!res.headersSent) sendJson(res, status, { error: message });
      else if (!res.writableEnded) res.end(`${JSON.stringify({ error: message })}\n`);
      return true;
    }
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, `invalid request: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

function digestOf(m: CompatModel): string {
  return createHash("sha256").update(m.identity?.fingerprint ?? m.id).digest("hex");
}

function describe(m: CompatModel): Record<string, unknown> {
  const arch = m.identity?.architecture ?? "unknown";
  const params = m.identity?.parameterCount ?? 0;
  return {
    name: m.id,
    model: m.id,
    modified_at: new Date(0).toISOString(),
    size: m.identity?.sizeBytes ?? 0,
    digest: digestOf(m),
    details: {
      parent_model: "",
      format: "gguf",
      family: arch,
      families: [arch],
      parameter_size: params >= 1e9 ? `${(params / 1e9).toFixed(1)}B` : params >= 1e6 ? `${(params / 1e6).toFixed(1)}M` : `${(params / 1e3).toFixed(1)}K`,
      quantization_level: m.identity?.quantization ?? "unknown",
    },
  };
}

function sampling(options: z.output<typeof Options>): Partial<SamplingInput> {
  if (!options) return {};
  return {
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.num_predict !== undefined && options.num_predict > 0 ? { maxTokens: options.num_predict } : {}),
    ...(options.top_p !== undefined ? { topP: options.top_p } : {}),
    ...(options.top_k !== undefined ? { topK: options.top_k } : {}),
    ...(options.min_p !== undefined ? { minP: options.min_p } : {}),
    ...(options.repeat_penalty !== undefined ? { repeatPenalty: options.repeat_penalty } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
}

async function answer(
  models: CompatModels,
  req: IncomingMessage,
  res: ServerResponse,
  body: z.output<typeof ChatBody> | z.output<typeof GenerateBody>,
  turns: ChatTurn[],
  kind: "chat" | "generate",
): Promise<void> {
  const model = await models.resolve(body.model);
  const at = (): string => new Date().toISOString();
  // Ollama streams a thinking model's thought as `message.thinking` (chat) or `thinking` (generate), content empty.
  const piece = (text: string, thought = false, thinking?: string): Record<string, unknown> => {
    const said = thought ? { content: "", thinking: text } : { content: text, ...(thinking ? { thinking } : {}) };
    return kind === "chat"
      ? { model: body.model, created_at: at(), message: { role: "assistant", ...said }, done: false }
      : { model: body.model, created_at: at(), response: said.content, ...("thinking" in said ? { thinking: said.thinking } : {}), done: false };
  };
  const unload = body.keep_alive === 0 || body.keep_alive === "0" || body.keep_alive === "0s";
  if (turns.length === 0) {
    // Ollama's idiom: no messages loads the model, and keep_alive 0 unloads it.
    if (unload) await models.unload(model);
    else await models.ensureSeat(model);
    sendJson(res, 200, { ...piece(""), done: true, done_reason: unload ? "unload" : "load" });
    return;
  }
  const schema = typeof body.format === "object" ? body.format : undefined;
  if (schema) checkSchemaDepth(schema, "format");
  const asked = sampling(body.options);
  const maxTokens = asked.maxTokens;
  const started = process.hrtime.bigint();
  const stream = body.stream;
  const r = await models.generate(req, {
    model: body.model,
    turns,
    sampling: asked,
    ...(schema ? { jsonSchema: schema } : {}),
    signal: clientGone(res),
    ...(stream
      ? {
          onToken: (text: string, thought?: boolean) => {
            if (!res.headersSent) res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
            res.write(`${JSON.stringify(piece(text, thought ?? false))}\n`);
          },
        }
      : {}),
  });
  if (unload && model.kind === "library") await models.unload(model);
  const total = Number(process.hrtime.bigint() - started);
  const ttftNs = Math.round((r.usage.ttftMs ?? 0) * 1e6);
  const final = {
    ...piece(stream ? "" : r.text, false, stream ? undefined : r.thought?.text),
    done: true,
    // "length" when the token limit cut the answer, as Ollama reports it.
    done_reason: maxTokens !== undefined && r.usage.completionTokens >= maxTokens ? "length" : "stop",
    total_duration: total,
    load_duration: 0,
    prompt_eval_count: r.usage.promptTokens,
    prompt_eval_duration: ttftNs,
    // As Ollama counts it: every generated token, the thought's included.
    eval_count: r.usage.completionTokens + (r.thought?.tokens ?? 0),
    eval_duration: Math.max(0, total - ttftNs),
    ...(kind === "generate" ? { context: [] } : {}),
    ...(r.routing ? { conclave_routing: r.routing } : {}),
  };
  if (!stream) return sendJson(res, 200, final, routingHeaders(r.routing));
  if (!res.headersSent) res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store", ...routingHeaders(r.routing) });
  res.end(`${JSON.stringify(final)}\n`);
}

/**
 * Pull: a library model is already local, so the pull reports its layer as complete at once; the
 * progress lines are Ollama's, so clients' progress bars work unchanged.
 */
async function pull(models: CompatModels, res: ServerResponse, id: string, stream: boolean): Promise<void> {
  const model = await models.resolve(id);
  const digest = `sha256:${digestOf(model)}`;
  const size = model.identity?.sizeBytes ?? 0;
  const lines = [
    { status: "pulling manifest" },
    { status: `pulling ${digest.slice(7, 19)}`, digest, total: size, completed: 0 },
    { status: `pulling ${digest.slice(7, 19)}`, digest, total: size, completed: size },
    { status: "verifying sha256 digest" },
    { status: "writing manifest" },
    { status: "success" },
  ];
  if (!stream) return sendJson(res, 200, { status: "success" });
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
  for (const l of lines) res.write(`${JSON.stringify(l)}\n`);
  res.end();
}
