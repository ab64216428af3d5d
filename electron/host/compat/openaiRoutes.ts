/**
 * OpenAI-compatible routes: `GET /v1/models` and `POST /v1/chat/completions`, streamed by SSE
 * (`data: {chunk}` … `data: [DONE]`) or answered whole. Any tool that speaks to LM Studio, vLLM or
 * the OpenAI API can talk to the committee's roles and the library's models this way.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ChatTurn } from "../../../shared/slots.js";
import { CompatModels, type CompatServices } from "./compatModels.js";
import { redact } from "../../engine/engineTools.js";
import { HttpError, checkSchemaDepth, clientGone, parseJsonBody, routingHeaders, sendJson } from "./http.js";

const ContentPart = z.object({ type: z.string(), text: z.string().optional() });
const ChatMessage = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
});

const ChatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  // The engine's own bounds (shared/slots.ts SamplingParams), so a bad number is this request's 400.
  max_tokens: z.number().int().positive().max(32768).nullable().optional(),
  max_completion_tokens: z.number().int().positive().max(32768).nullable().optional(),
  temperature: z.number().min(0).max(5).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  seed: z.number().int().nonnegative().nullable().optional(),
  response_format: z
    .object({ type: z.string(), json_schema: z.object({ schema: z.record(z.string(), z.unknown()).optional() }).optional() })
    .nullable()
    .optional(),
});
type ChatRequest = z.infer<typeof ChatRequest>;

/** OpenAI messages as the engine's chat turns (developer → system, tool results → user). */
export function toTurns(messages: ChatRequest["messages"]): ChatTurn[] {
  return messages.map((m) => {
    const content = typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text ?? "").join("");
    const role = m.role === "developer" ? "system" : m.role === "tool" ? "user" : m.role;
    return m.name && /^[a-zA-Z0-9_-]{1,64}$/.test(m.name) ? { role, content, name: m.name } : { role, content };
  });
}

function openAiError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message, type: status >= 500 ? "server_error" : "invalid_request_error", code: status === 404 ? "model_not_found" : null } });
}

/** A handler for the `/v1/*` routes; resolves true when it answered the request. */
export function openaiRoutes(services: CompatServices): (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<boolean> {
  const models = new CompatModels(services);
  return async (req, res, url, text) => {
    if (!url.pathname.startsWith("/v1/")) return false;
    try {
      if (url.pathname === "/v1/models" && req.method === "GET") {
        const list = await models.list();
        sendJson(res, 200, {
          object: "list",
          data: list.map((m) => ({ id: m.id, object: "model", created: 0, owned_by: m.kind === "role" ? "conclave-role" : "conclave-library" })),
        });
        return true;
      }
      if (url.pathname === "/v1/chat/completions" && req.method === "POST") {
        const parsed = ChatRequest.safeParse(parseJsonBody(text));
        if (!parsed.success) throw new HttpError(400, `invalid request: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
        await chatCompletion(models, req, res, parsed.data);
        return true;
      }
      openAiError(res, 404, `no route ${req.method ?? "GET"} ${url.pathname}`);
      return true;
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      const message = redact(e instanceof Error ? e.message : String(e));
      if (!res.headersSent) openAiError(res, status, message);
      else if (!res.writableEnded) {
        res.write(`data: ${JSON.stringify({ error: { message } })}\n\n`);
        res.end();
      }
      return true;
    }
  };
}

async function chatCompletion(models: CompatModels, req: IncomingMessage, res: ServerResponse, body: ChatRequest): Promise<void> {
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const sampling = {
    ...(maxTokens ? { maxTokens } : {}),
    ...(body.temperature !== null && body.temperature !== undefined ? { temperature: body.temperature } : {}),
    ...(body.top_p ? { topP: body.top_p } : {}),
    ...(body.seed !== null && body.seed !== undefined ? { seed: body.seed } : {}),
  };
  const schema = body.response_format?.type === "json_schema" ? body.response_format.json_schema?.schema : undefined;
  if (schema) checkSchemaDepth(schema, "response_format.json_schema.schema");
  const signal = clientGone(res);
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

  if (!body.stream) {
    const r = await models.generate(req, { model: body.model, turns: toTurns(body.messages), sampling, ...(schema ? { jsonSchema: schema } : {}), signal });
    sendJson(
      res,
      200,
      {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        // Reasoning servers (DeepSeek, vLLM) send the thought as `reasoning_content` beside the content.
        choices: [{ index: 0, message: { role: "assistant", content: r.text, ...(r.thought?.text ? { reasoning_content: r.thought.text } : {}) }, finish_reason: finishReason(r.usage.completionTokens, maxTokens) }],
        usage: { prompt_tokens: r.usage.promptTokens, completion_tokens: r.usage.completionTokens, total_tokens: r.usage.promptTokens + r.usage.completionTokens },
      },
      routingHeaders(r.routing),
    );
    return;
  }

  // Headers go out with the first token, so a failure before any token still gets a proper status.
  const open = (): void => {
    if (res.headersSent) return;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(chunk({ role: "assistant", content: "" }, null));
  };
  const r = await models.generate(req, {
    model: body.model,
    turns: toTurns(body.messages),
    sampling,
    ...(schema ? { jsonSchema: schema } : {}),
    signal,
    onToken: (text, thought) => {
      open();
      res.write(chunk(thought ? { reasoning_content: text } : { content: text }, null));
    },
  });
  if (!res.headersSent) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", ...routingHeaders(r.routing) });
    res.write(chunk({ role: "assistant", content: "" }, null));
  }
  const last = JSON.parse(chunk({}, finishReason(r.usage.completionTokens, maxTokens)).slice(6)) as Record<string, unknown>;
  // Streams cannot carry the routing in headers (they left with the first token): it rides the last chunk.
  res.write(`data: ${JSON.stringify({ ...last, ...(r.routing ? { conclave_routing: r.routing } : {}) })}\n\n`);
  if (body.stream_options?.include_usage) {
    const usage = { prompt_tokens: r.usage.promptTokens, completion_tokens: r.usage.completionTokens, total_tokens: r.usage.promptTokens + r.usage.completionTokens };
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`);
  }
  res.end("data: [DONE]\n\n");
}

function finishReason(completionTokens: number, maxTokens: number | undefined): "stop" | "length" {
  return maxTokens !== undefined && completionTokens >= maxTokens ? "length" : "stop";
}
