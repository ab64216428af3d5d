/**
 * `search.sessions` through the RPC dispatcher over a real engine on a real SQLite file: hits come
 * back in the contract's shape, bad params name their field, and a query with no words is a
 * plain `failed` reply rather than an exception.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SearchResult } from "../../shared/search.js";
import { openStore } from "../engine/data/store/sessionStore.js";
import { modelDraft } from "../engine/data/store/test/testSupport.js";
import { createEngine } from "../engine/createEngine.js";
import { RpcDispatcher } from "./dispatcher.js";

test("search.sessions finds a stored message over the RPC and refuses bad queries clearly", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-search-rpc-"));
  const dbPath = join(dir, "conclave.db");
  const engine = await createEngine({ dbPath, modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined });
  const dispatcher = new RpcDispatcher(engine);
  try {
    // A second connection writes, as another process would; the host's connection sees it at once.
    const writer = openStore(dbPath);
    const s = writer.createSession({ title: "Bridges", task: "Design a footbridge.", protocolKind: "roundtable", experiment: {} });
    const m = writer.appendMessage(modelDraft(s.id, "critic", "critique", "The cantilever needs a counterweight."));
    writer.close();

    const reply = await dispatcher.handle({ kind: "request", id: 1, method: "search.sessions", params: { query: "counterweight" } });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    const result = SearchResult.parse(reply.ok ? reply.result : null);
    assert.deepEqual(result.hits.map((h) => [h.sessionId, h.messageId, h.seq]), [[s.id, m.id, m.seq]]);

    const bad = await dispatcher.handle({ kind: "request", id: 2, method: "search.sessions", params: { query: "x", limit: 1000 } });
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? `${bad.error.code} ${bad.error.message}` : "", /^invalid-params search\.sessions: limit: /);

    const empty = await dispatcher.handle({ kind: "request", id: 3, method: "search.sessions", params: { query: '"( * )"' } });
    assert.deepEqual(!empty.ok && empty.error, { code: "failed", message: "the query has no words to search for (letters or digits)" });

    const hostile = await dispatcher.handle({ kind: "request", id: 4, method: "search.sessions", params: { query: 'NEAR( "counterweight -' } });
    assert.equal(hostile.ok, true, JSON.stringify(hostile));
  } finally {
    dispatcher.close();
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
