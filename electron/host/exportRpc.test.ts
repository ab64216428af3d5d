/**
 * `export.run` over the dispatcher and a real engine: the RPC takes the same export request the CLI
 * does (shared/conversation.ts's ExportSelection), so the UI can ask for the context window and the
 * TRL pair form too, with the contract's errors naming the field.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExportResult } from "../../shared/rpc.js";
import { createEngine } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";
import { modelDraft, tempStore } from "../engine/data/store/test/testSupport.js";
import { RpcDispatcher } from "./dispatcher.js";

let engine: Engine;
let dispatcher: RpcDispatcher;
let cleanup: () => void;
let nextId = 1;

before(async () => {
  const seeded = tempStore();
  seeded.store.createSession({ id: "long", title: "l", task: "Count.", protocolKind: "debate", experiment: {} });
  for (let i = 1; i <= 40; i++) seeded.store.appendMessage(modelDraft("long", i % 2 ? "a" : "b", i === 10 ? "summary" : "analysis", `n${i}`));
  seeded.store.close();
  cleanup = seeded.cleanup;
  const dir = seeded.dir;
  engine = await createEngine({ dbPath: seeded.file, modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, threads: 1 });
  dispatcher = new RpcDispatcher(engine, { exportUrl: (name) => `/exports/${name}` });
});
after(async () => {
  dispatcher?.close();
  await engine?.dispose();
  cleanup?.();
});

async function call(params: unknown): Promise<{ ok: true; result: ExportResult } | { ok: false; message: string }> {
  const reply = await dispatcher.handle({ kind: "request", id: nextId++, method: "export.run", params });
  return reply.ok ? { ok: true, result: reply.result as ExportResult } : { ok: false, message: reply.error.message };
}

const lastRecord = (path: string): { messages: Array<{ content: string }> } => JSON.parse(readFileSync(path, "utf8").trim().split("\n").at(-1)!);

test("export.run carries the context window and the roles, and writes under the export folder", async () => {
  const r = await call({ sessionId: "long", format: "openai", fileName: "w.jsonl", roles: ["a"], contextMessages: 4 });
  assert.ok(r.ok, r.ok ? "" : r.message);
  assert.equal(r.result.url, "/exports/w.jsonl");
  assert.equal(await engine.export.find("w.jsonl"), r.result.path);
  assert.deepEqual(lastRecord(r.result.path).messages.map((x) => x.content), ["Count.", "n10", "n35", "n36", "n37", "n38", "n39"]);

  const whole = await call({ sessionId: "long", format: "openai", fileName: "whole.jsonl", roles: ["a"], contextMessages: null });
  assert.ok(whole.ok);
  assert.equal(lastRecord(whole.result.path).messages.length, 40, "null keeps the whole history");
});

test("export.run refuses a bad context window or pair form, naming the field", async () => {
  const negative = await call({ sessionId: "long", format: "openai", fileName: "x.jsonl", contextMessages: -1 });
  assert.ok(!negative.ok);
  assert.match(negative.message, /contextMessages/);
  const form = await call({ sessionId: "long", format: "dpo", fileName: "x.jsonl", dpoForm: "table" });
  assert.ok(!form.ok);
  assert.match(form.message, /dpoForm/);
  assert.equal(await engine.export.find("x.jsonl"), null, "nothing was written");
  assert.equal(await engine.export.find(".."), null, "a folder is no export file");
});
