/**
 * Conclave as an OpenAI- and Ollama-compatible server, exercised with the official `openai` and
 * `ollama` npm clients over real HTTP on 127.0.0.1, against a real host running the real test model
 * (stories260K when ../shared has it).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { Ollama } from "ollama";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { BackendUpsert } from "../../../shared/backends.js";
import { apiRoleFor } from "../../../shared/apiModels.js";
import { engineParts } from "../../engine/engineParts.js";

let h: TestHost;
let openai: OpenAI;
let ollama: Ollama;

before(async () => {
  h = await startTestHost("compat");
  await h.engine.slots.load({ sessionId: null, role: "critic" }, h.modelPath, { sampling: { maxTokens: 16 } });
  openai = new OpenAI({ baseURL: `${h.base}/v1`, apiKey: h.host.token, maxRetries: 0 });
  ollama = new Ollama({ host: h.base, headers: { authorization: `Bearer ${h.host.token}` } });
  // A backend `self` that goes back into this host over HTTP: X-LLM-Backend must reach it.
  await h.engine.backends.upsert(BackendUpsert.parse({ config: { name: "self", provider: "openai", baseUrl: `${h.base}/v1`, model: "role:critic", maxTokens: 8 }, apiKey: h.host.token }));
});
after(async () => h?.close());

describe("OpenAI-compatible routes (official openai client)", () => {
  test("lists every loaded role and every library model; refuses a wrong key", async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    assert.ok(ids.includes("role:critic"), ids.join(","));
    assert.ok(ids.includes(h.modelId), ids.join(","));
    const bad = new OpenAI({ baseURL: `${h.base}/v1`, apiKey: "wrong-token", maxRetries: 0 });
    await assert.rejects(bad.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
  });

  test("non-streaming completion on a role", async () => {
    const r = await openai.chat.completions.create({ model: "role:critic", messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8, seed: 1 });
    assert.equal(r.object, "chat.completion");
    assert.equal(typeof r.choices[0]?.message.content, "string");
    assert.ok((r.usage?.completion_tokens ?? 0) > 0 && (r.usage?.completion_tokens ?? 99) <= 8);
  });

  test("streaming completion on a library model (SSE), usage included", async () => {
    const stream = await openai.chat.completions.create({
      model: h.modelId,
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 12,
      seed: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage?.completion_tokens ?? usage;
    }
    assert.ok(text.length > 0, "tokens streamed");
    assert.ok(finish === "stop" || finish === "length");
    assert.ok(usage > 0 && usage <= 12);
  });

  test("X-LLM-Backend picks a named backend; an unknown one is refused", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "role:critic", messages: [{ role: "user", content: "The dog" }], max_tokens: 8 }, { headers: { "X-LLM-Backend": "self" } })
      .withResponse();
    assert.equal(response.headers.get("x-llm-backend"), "self");
    assert.equal(typeof data.choices[0]?.message.content, "string");
    await assert.rejects(
      openai.chat.completions.create({ model: "role:critic", messages: [{ role: "user", content: "x" }], max_tokens: 4 }, { headers: { "X-LLM-Backend": "nope" } }),
      (e: unknown) => e instanceof OpenAI.BadRequestError,
    );
    await assert.rejects(
      openai.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }], max_tokens: 4 }),
      (e: unknown) => e instanceof OpenAI.NotFoundError,
    );
  });
});

describe("Ollama-compatible routes (official ollama client)", () => {
  test("tags list roles and library models", async () => {
    const names = (await ollama.list()).models.map((m) => m.name);
    assert.ok(names.includes("role:critic") && names.includes(h.modelId), names.join(","));
  });

  test("streaming chat as NDJSON ends with a done record and counts", async () => {
    const stream = await ollama.chat({ model: "role:critic", messages: [{ role: "user", content: "Once upon a time" }], stream: true, options: { num_predict: 8, seed: 3 } });
    let text = "";
    let done = false;
    let evalCount = 0;
    for await (const part of stream) {
      text += part.message.content;
      if (part.done) {
        done = true;
        evalCount = part.eval_count;
      }
    }
    assert.ok(done && evalCount > 0 && evalCount <= 8);
    assert.ok(text.length > 0);
  });

  test("generate, pull with progress, ps and unload through keep_alive 0", async () => {
    const progress: string[] = [];
    for await (const p of await ollama.pull({ model: `${h.modelId.replace(/\.gguf$/, "")}:latest`, stream: true })) progress.push(p.status);
    assert.equal(progress.at(-1), "success");
    assert.ok(progress.length > 2);

    // A fixed seed: an unseeded sample can end at once (EOS first) on the random-weight stand-in model.
    const g = await ollama.generate({ model: h.modelId, prompt: "The cat", stream: false, options: { num_predict: 8, seed: 7 } });
    assert.equal(g.done, true);
    assert.ok(g.eval_count > 0);
    assert.ok((await ollama.ps()).models.some((m) => m.name === h.modelId), "loaded after use");

    await ollama.generate({ model: h.modelId, prompt: "", keep_alive: 0 });
    assert.ok(!(await ollama.ps()).models.some((m) => m.name === h.modelId), "unloaded by keep_alive 0");
  });

  test("ps lists only resident models: a parked seat's model is not in memory", async () => {
    // Ollama's idiom: no prompt loads the model into its API seat.
    await ollama.generate({ model: h.modelId, prompt: "" });
    const resident = (await ollama.ps()).models.map((m) => m.name);
    assert.ok(resident.includes(h.modelId), `loaded: ${resident.join(",")}`);
    assert.ok(resident.includes("role:critic"), `a ready role is resident: ${resident.join(",")}`);

    const seat = { sessionId: null, role: apiRoleFor(h.modelId) };
    await engineParts(h.engine).registry.park(seat);
    assert.equal(h.engine.slots.list(null).find((s) => s.role === seat.role)?.status, "parked");
    const after = (await ollama.ps()).models.map((m) => m.name);
    assert.ok(!after.includes(h.modelId), `parked, so not listed: ${after.join(",")}`);
    assert.ok(after.includes("role:critic"), "the resident role is still listed");
    assert.ok((await ollama.list()).models.some((m) => m.name === h.modelId), "a parked model is still offered by /api/tags");

    await ollama.generate({ model: h.modelId, prompt: "", keep_alive: 0 });
    assert.ok(!(await ollama.ps()).models.some((m) => m.name === h.modelId), "unloaded by keep_alive 0");
  });
});

describe("bad input on the compatible routes answers 400 naming the field", () => {
  const post = async (path: string, body: unknown): Promise<{ status: number; text: string }> => {
    const r = await fetch(`${h.base}${path}`, { method: "POST", headers: { authorization: `Bearer ${h.host.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: r.status, text: await r.text() };
  };
  const deep = (levels: number): Record<string, unknown> => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { x: schema } };
    return schema;
  };
  const messages = [{ role: "user", content: "hi" }];

  test("out-of-range numbers and a 2,000-deep schema on /v1/chat/completions", async () => {
    for (const [extra, field] of [
      [{ max_tokens: 1e9 }, "max_tokens"],
      [{ max_completion_tokens: 1e9 }, "max_completion_tokens"],
      [{ temperature: -5 }, "temperature"],
      [{ top_p: 7 }, "top_p"],
      [{ response_format: { type: "json_schema", json_schema: { name: "x", schema: deep(2000) } } }, "response_format.json_schema.schema"],
    ] as const) {
      const r = await post("/v1/chat/completions", { model: "role:critic", messages, ...extra });
      assert.equal(r.status, 400, `${field}: ${r.text}`);
      assert.ok(r.text.includes(field), r.text);
    }
  });

  test("out-of-range options and a 2,000-deep format on /api/chat and /api/generate", async () => {
    for (const [options, field] of [
      [{ num_predict: 1e9 }, "num_predict"],
      [{ temperature: -5 }, "temperature"],
      [{ top_p: 7 }, "top_p"],
    ] as const) {
      const chat = await post("/api/chat", { model: "role:critic", messages, options, stream: false });
      assert.equal(chat.status, 400, `${field}: ${chat.text}`);
      assert.ok(chat.text.includes(field), chat.text);
      const gen = await post("/api/generate", { model: "role:critic", prompt: "hi", options, stream: false });
      assert.equal(gen.status, 400, `${field}: ${gen.text}`);
    }
    const r = await post("/api/chat", { model: "role:critic", messages, format: deep(2000), stream: false });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /format: the schema nests deeper/);
  });

  test("Ollama's done_reason is 'length' when the token limit cut the answer", async () => {
    const g = await ollama.generate({ model: "role:critic", prompt: "Once upon a time there was", stream: false, options: { num_predict: 2, seed: 11 } });
    assert.equal(g.eval_count, 2, "the model was still going at the limit");
    assert.equal(g.done_reason, "length");
  });
});