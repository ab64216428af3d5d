/**
 * No API key reaches the database, exports or logs: a session runs through keyed backends (keys
 * from the environment and from a 0600 keys file; the key is a real Conclave host's token, so a
 * wrong or missing key would fail), every export format is written, and the DB files, export files
 * and captured log lines are searched for the key bytes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { BackendPool } from "../../engine/backends/BackendPool.js";
import { createBackend } from "../../engine/backends/createBackend.js";
import { bindPoolToSession } from "../../engine/backends/test/recordRouting.js";
import { headlessSecrets } from "../../engine/backends/secrets/SecretStore.js";
import { redactingLog } from "../../engine/backends/secrets/test/redactingLog.js";
import { SessionRunner } from "../../engine/conversation/session/SessionRunner.js";
import { SlotRegistry } from "../../engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../../engine/runtime/library/libraryResolver.js";
import { openStore } from "../../engine/data/store/sessionStore.js";
import { exportSession } from "../../engine/data/export/exportSession.js";
import { Experiment } from "../../../shared/experiment.js";
import type { ExportFormat } from "../../../shared/conversation.js";

let h: TestHost;
let dir: string;
let local: SlotRegistry;

before(async () => {
  h = await startTestHost("secrets");
  dir = await mkdtemp(join(tmpdir(), "conclave-secrets-"));
  local = new SlotRegistry({ resolver: libraryResolver({ modelsDir: dir }), defaultContextSize: 512, stateRoot: join(dir, "state") });
});
after(async () => {
  await Promise.all([h?.close(), local?.dispose()]);
  await rm(dir, { recursive: true, force: true });
});

test("a session through keyed backends leaves no key in the DB, exports or logs", async () => {
  const key = h.host.token;
  const keysFile = join(dir, "keys.json");
  await writeFile(keysFile, JSON.stringify({ "dead-end": key }), { mode: 0o600 });
  const secrets = headlessSecrets(keysFile, { CONCLAVE_KEYED_API_KEY: key });
  const logs: string[] = [];
  const log = redactingLog((line) => logs.push(line));
  const pool = new BackendPool({
    backends: [
      // Nothing listens on port 9: its failure is logged before the fallback, with the key in use.
      await createBackend({ name: "dead-end", provider: "openai", baseUrl: "http://127.0.0.1:9/v1", model: h.modelId, retries: 0, fallback: ["keyed"] }, { secrets }),
      await createBackend({ name: "keyed", provider: "openai", baseUrl: `${h.base}/v1`, model: h.modelId, maxTokens: 16 }, { secrets }),
    ],
    log,
  });
  const store = openStore(join(dir, "leak.db"));
  store.setSetting("backends", pool.configs());
  const bound = bindPoolToSession(store, pool);
  const experiment = Experiment.parse({ title: "keys", task: "Say hello.", seed: 3, roles: [{ name: "writer", model: h.modelPath, maxTokens: 16 }], protocol: { kind: "pipeline" } });
  const runner = new SessionRunner({ experiment, store: bound.store, registry: local, generator: bound.generator, defaultContextSize: 512 });
  const out = await runner.run();
  assert.equal(out.status, "completed", out.error ?? "");
  const turn = out.messages.find((m) => m.from === "writer");
  assert.equal(turn?.routing?.backend, "keyed", "the keyed backend really served the turn");
  log(`request failed with Authorization: Bearer ${key}`);

  const exportsDir = join(dir, "exports");
  for (const format of ["openai", "sharegpt", "dpo", "dpo-openai", "json"] satisfies ExportFormat[]) {
    await exportSession(store, runner.sessionId, { format, out: join(exportsDir, `s.${format}`) }).catch((e: unknown) => {
      // Preference formats need votes this session has none of; what matters is what got written.
      if (!/vote|pair|prefer/i.test(String(e))) throw e;
    });
  }
  store.close();

  const dbFiles = (await readdir(dir)).filter((f) => f.startsWith("leak.db")).map((f) => join(dir, f));
  const exportFiles = (await readdir(exportsDir).catch(() => [])).map((f) => join(exportsDir, f));
  assert.ok(dbFiles.length >= 1 && exportFiles.length >= 1);
  for (const file of [...dbFiles, ...exportFiles]) {
    // SQLite may remove its -shm/-wal files as the last connection closes, between readdir and here.
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : Promise.reject(e)));
    if (bytes) assert.equal(bytes.indexOf(key), -1, `${file} holds the key`);
  }
  assert.ok(logs.some((l) => l.includes("dead-end")), "the failure was logged");
  assert.ok(logs.every((l) => !l.includes(key)), "no log line holds the key");
  assert.ok(logs.some((l) => l.includes("[redacted]")));
});
