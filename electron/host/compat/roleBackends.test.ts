/**
 * Per-role backends through the engine's front door, against a second Conclave engine and host on
 * another loopback port serving the real test model over its OpenAI-compatible API: one role runs
 * locally and the other on that host (its local seat never loads), the fallback chain is walked when
 * a backend is down, backends an experiment defines live as long as its session, the routing policy
 * is chosen in Settings or per experiment, and an API key in an experiment is refused.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { createEngine } from "../../engine/createEngine.js";
import type { Engine } from "../../engine/Engine.js";
import { headlessSecrets, type SecretStore } from "../../engine/backends/secrets/SecretStore.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { Message } from "../../../shared/conversation.js";
import { BackendUpsert, type BackendUpsertInput } from "../../../shared/backends.js";
import { engineParts } from "../../engine/engineParts.js";

let remote: TestHost;
let engine: Engine;
let dir: string;
let deadUrl: string;
let secrets: SecretStore;

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

before(async () => {
  remote = await startTestHost("role-remote");
  dir = await mkdtemp(join(tmpdir(), "conclave-roles-"));
  deadUrl = `http://127.0.0.1:${await closedPort()}/v1`;
  // Keys live in a real 0600 keys file beside the database; the environment here holds none.
  secrets = headlessSecrets(join(dir, "keys.json"), {});
  engine = await createEngine({
    dbPath: join(dir, "c.db"),
    modelsDir: join(dir, "models"),
    exportDir: join(dir, "exports"),
    stateRoot: join(dir, "state"),
    keepWarmMs: 600_000,
    secrets,
    log: () => undefined,
  });
  await upsert({
    config: { name: "lab2", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, maxTokens: 24, retries: 0 },
    apiKey: remote.host.token,
  });
});

after(async () => {
  await engine?.dispose();
  await remote?.close();
  await rm(dir, { recursive: true, force: true });
});

function experiment(roles: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): ExperimentInput {
  return {
    title: "per-role backends",
    task: "Tell a short story about a brave cat.",
    seed: 11,
    roles: roles.map((r) => ({ model: remote.modelPath, maxTokens: 24, contextSize: 512, ...r })) as ExperimentInput["roles"],
    protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", vote: false },
    ...extra,
  };
}

/** Settings → Backends, as the RPC validates it. */
function upsert(input: BackendUpsertInput) {
  return engine.backends.upsert(BackendUpsert.parse(input));
}

async function run(input: ExperimentInput): Promise<{ id: string; said: Message[]; status: string; error: string | null }> {
  const session = await engine.sessions.create(input);
  const outcome = await engine.sessions.wait(session.id);
  return { id: session.id, said: outcome.messages.filter((m) => m.provenance !== null), status: outcome.status, error: outcome.error };
}

describe("per-role backends against a second Conclave host", () => {
  test("one role runs locally, the other on the second host; the remote role's seat never loads", async () => {
    const input = experiment([{ name: "teller" }, { name: "critic", backend: "lab2" }]);
    const plan = await engine.sessions.preview(input);
    assert.deepEqual(plan.remote, [{ role: "critic", backend: "lab2", fallback: [] }]);
    assert.deepEqual(plan.seats.map((s) => s.role), ["teller"], "the plan needs memory for the local seat only");

    const { id, said, status, error } = await run(input);
    assert.equal(status, "completed", error ?? "");
    assert.ok(said.some((m) => m.from === "teller") && said.some((m) => m.from === "critic"));
    for (const m of said) {
      assert.equal(m.routing?.backend, m.from === "critic" ? "lab2" : "local", `${m.from} #${m.seq}: ${m.routing?.reason}`);
    }
    const critic = said.find((m) => m.from === "critic")!;
    assert.match(critic.routing?.reason ?? "", /critic runs on lab2 \(the experiment\)/);
    assert.equal(critic.provenance?.modelName, remote.modelId);
    assert.match(critic.provenance?.fingerprint ?? "", /^remote:openai:lab2\//);
    // The local seat of the remote role was assigned but never loaded; the local one is resident.
    assert.equal(engineParts(engine).registry.get({ sessionId: id, role: "critic" })?.status, "parked");
    assert.equal(engineParts(engine).registry.get({ sessionId: id, role: "teller" })?.status, "ready");
    assert.equal(engineParts(engine).pool.routeOf({ sessionId: id, role: "critic" }), null, "the route is cleared when the session ends");
  });

  test("the fallback chain is walked when the first backend is down; the experiment's own backend lives as long as its session", async () => {
    const input = experiment(
      [
        { name: "teller", backend: "down", fallback: ["local"] },
        { name: "critic", backend: "down", fallback: ["lab2"] },
      ],
      { backends: { define: [{ name: "down", provider: "openai", baseUrl: deadUrl, model: "anything", retries: 0 }] } },
    );
    const plan = await engine.sessions.preview(input);
    assert.deepEqual(plan.remote.map((r) => [r.role, r.backend, r.fallback]), [["teller", "down", ["local"]], ["critic", "down", ["lab2"]]]);

    const session = await engine.sessions.create(input);
    let listed: string[] = [];
    const off = engine.onEvent((e) => {
      if (e.type === "message" && e.message.sessionId === session.id && listed.length === 0) {
        void engine.backends.list().then((l) => (listed = l.map((b) => `${b.config.name}@${b.session ?? "app"}`)));
      }
    });
    const outcome = await engine.sessions.wait(session.id);
    off();
    assert.equal(outcome.status, "completed", outcome.error ?? "");
    assert.ok(listed.includes(`down@${session.id}`), `listed while running: ${listed.join(", ")}`);
    const said = outcome.messages.filter((m) => m.provenance !== null);
    for (const m of said) {
      const expected = m.from === "teller" ? "local" : "lab2";
      assert.equal(m.routing?.backend, expected, `${m.from} #${m.seq}: ${m.routing?.reason}`);
      assert.match(m.routing?.reason ?? "", new RegExp(`fallback to ${expected} after down: `));
    }
    // The teller's turns fell back to local, which loaded its seat on demand.
    assert.equal(engineParts(engine).registry.get({ sessionId: session.id, role: "teller" })?.status, "ready");
    assert.deepEqual(engineParts(engine).pool.sessionBackends(), [], "the experiment's backend went with its session");
    assert.ok(!(await engine.backends.list()).some((b) => b.config.name === "down"));
  });

  test("the routing policy: Settings for every session, an experiment's own for its session", async () => {
    await upsert({
      config: { name: "lab2", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, maxTokens: 24, retries: 0, pricePer1kInput: 0.5, pricePer1kOutput: 1.5 },
    });
    await engine.backends.setEnabled("local", false);
    try {
      // `lab3` is the experiment's own, free; its key is in the key store under its name, never in the file.
      await secrets.set?.("lab3", remote.host.token);
      const lab3 = { name: "lab3", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, maxTokens: 24, retries: 0 };
      const roles = [{ name: "teller", backend: "pool" }, { name: "critic", backend: "pool" }];

      assert.equal((await engine.settings.set({ routingPolicy: "first" })).routingPolicy, "first");
      const first = await run(experiment(roles, { backends: { define: [lab3] } }));
      assert.equal(first.status, "completed", first.error ?? "");
      assert.ok(first.said.every((m) => m.routing?.backend === "lab2"), first.said.map((m) => m.routing?.reason).join("\n"));

      const cheapest = await run(experiment(roles, { backends: { policy: "cost", define: [lab3] } }));
      assert.equal(cheapest.status, "completed", cheapest.error ?? "");
      for (const m of cheapest.said) {
        assert.equal(m.routing?.backend, "lab3");
        assert.match(m.routing?.reason ?? "", /cheapest: lab3 is free \(policy cost, the experiment's\)/);
      }
      assert.equal((await engine.settings.get()).routingPolicy, "first", "an experiment's policy does not change Settings");

      // Chosen in Settings, the policy holds for every session that names none.
      await engine.settings.set({ routingPolicy: "cost" });
      const viaSettings = await run(experiment(roles, { backends: { define: [lab3] } }));
      assert.ok(viaSettings.said.every((m) => m.routing?.backend === "lab3" && /\(policy cost\)/.test(m.routing.reason)), viaSettings.said.map((m) => m.routing?.reason).join("\n"));
    } finally {
      await engine.settings.set({ routingPolicy: "first" });
      await engine.backends.setEnabled("local", true);
    }
  });

  test("an API key in an experiment, an unknown backend and a backend without a model are refused with field paths", async () => {
    const keyed = experiment([{ name: "teller" }], {
      backends: { define: [{ name: "lab9", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, apiKey: remote.host.token }] },
    });
    await assert.rejects(engine.sessions.create(keyed), /backends\.define\[0\]\.apiKey: an API key never goes in an experiment file/);
    await assert.rejects(engine.sessions.create(experiment([{ name: "teller", token: "sk-x" }])), /roles\[0\]\.token: an API key never goes/);
    await assert.rejects(engine.sessions.create(experiment([{ name: "teller" }, { name: "critic", backend: "nowhere" }])), /roles\[1\]\.backend: 'nowhere' is not a backend here \(known: local, pool, lab2\)/);
    await upsert({ config: { name: "nomodel", provider: "openai", baseUrl: `${remote.base}/v1` } });
    try {
      await assert.rejects(
        engine.sessions.create(experiment([{ name: "teller", fallback: ["nomodel"] }])),
        /roles\[0\]\.fallback\[0\]: backend 'nomodel' names no model/,
      );
    } finally {
      await engine.backends.remove("nomodel");
    }
    assert.ok(!(await engine.sessions.list()).some((s) => JSON.stringify(s.experiment).includes(remote.host.token)), "no key reached the store");
  });
});
