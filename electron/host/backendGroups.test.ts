/**
 * Fan-out across engines: two real `conclave serve` processes on 127.0.0.1 stand in for serving
 * engines (vLLM, llama.cpp's server, exo), each serving the test model on its compatible API. An
 * evaluation at `concurrency: 4` on a third engine sends its roles to a backend group of the two;
 * one server is killed with SIGKILL while it is generating. The run completes, every task done,
 * with the same `results.json` shape, and the turn cut on the dead server was retried on the other.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EvalResults } from "../../shared/evalResults.js";
import type { ExperimentInput } from "../../shared/experiment.js";
import { realTestModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import { engineParts } from "../engine/engineParts.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

interface Server {
  child: ChildProcess;
  base: string;
  token: string;
  exited: Promise<void>;
  /** What the server printed so far. */
  output: () => string;
}

/** `conclave serve` on a free port with the test model in its library. */
async function serveModel(dir: string, modelPath: string): Promise<Server> {
  const models = path.join(dir, "models");
  const staticDir = path.join(dir, "renderer");
  await mkdir(models, { recursive: true });
  await mkdir(staticDir, { recursive: true });
  await writeFile(path.join(staticDir, "index.html"), "<!doctype html><title>Conclave</title>");
  await copyFile(modelPath, path.join(models, path.basename(modelPath)));
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--db", path.join(dir, "c.db"), "--models", models, "--static-dir", staticDir], {
    env: { ...process.env, CONCLAVE_HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let out = "";
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const { base, token } = await new Promise<{ base: string; token: string }>((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /Conclave listening on (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(out);
      if (m) resolve({ base: m[1]!, token: m[2]! });
    });
    void exited.then(() => reject(new Error(`conclave serve exited before listening: ${out}`)));
  });
  return { child, base, token, exited, output: () => out };
}

test("an evaluation at concurrency 4 fans out over a group of two hosts and survives one being killed mid-run", async () => {
  const modelPath = await realTestModel();
  const modelId = path.basename(modelPath);
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-groups-"));
  const [a, b] = await Promise.all([serveModel(path.join(dir, "a"), modelPath), serveModel(path.join(dir, "b"), modelPath)]);
  process.env.CONCLAVE_HOST_A_API_KEY = a.token;
  process.env.CONCLAVE_HOST_B_API_KEY = b.token;
  const engine = await createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });
  try {
    const experiment: ExperimentInput = {
      title: "Sums across two hosts",
      task: "Answer the question. End with 'Answer: <number>'.",
      seed: 4,
      roles: [
        { name: "solver", model: modelPath, maxTokens: 24, backend: "hosts" },
        { name: "checker", model: modelPath, maxTokens: 24, backend: "hosts" },
      ],
      protocol: { kind: "roundtable", rounds: 1, chair: "solver" },
      tasks: [1, 2, 3, 4, 5, 6].map((i) => ({ id: `t${i}`, prompt: `What is ${i} + ${i}?`, reference: 2 * i })),
      check: { kind: "numeric" },
      extract: "(-?\\d+)",
      execution: { concurrency: 4 },
      backends: {
        define: [
          { name: "host-a", provider: "openai", baseUrl: `${a.base}/v1`, model: modelId, maxConcurrent: 4, timeoutMs: 120_000 },
          { name: "host-b", provider: "openai", baseUrl: `${b.base}/v1`, model: modelId, maxConcurrent: 4, timeoutMs: 120_000 },
        ],
        groups: [{ name: "hosts", members: ["host-a", "host-b"] }],
      },
    };
    const routed: { backend: string; reason: string; afterKill: boolean }[] = [];
    let killed = false;
    engineParts(engine).pool.onRouting((e) => {
      routed.push({ backend: e.routing.backend, reason: e.routing.reason, afterKill: killed });
    });
    // Host A dies mid-run, once the group has sent turns to both hosts.
    const killAtToken = (): void => {
      if (killed || routed.filter((r) => r.backend === "host-a").length < 2 || !routed.some((r) => r.backend === "host-b")) return;
      killed = true;
      a.child.kill("SIGKILL");
    };
    const started = await engine.evaluations.run(experiment, { out: path.join(dir, "out") });
    const poll = setInterval(killAtToken, 25);
    const run = await engine.evaluations.wait(started.id).finally(() => clearInterval(poll));
    await a.exited;

    assert.ok(killed, `host A was killed during the run, after turns on both hosts: ${routed.map((r) => r.backend).join(",")}`);
    assert.equal(run.status, "completed", run.error ?? "");
    assert.equal(run.tasks.filter((t) => t.status === "done").length, 6, "no task was lost");
    const results = EvalResults.parse(JSON.parse(readFileSync(path.join(dir, "out", "results.json"), "utf8")));
    assert.deepEqual(results.tasks.map((t) => t.id), ["t1", "t2", "t3", "t4", "t5", "t6"]);
    const before = routed.filter((r) => !r.afterKill);
    assert.ok(before.some((r) => r.backend === "host-a") && before.some((r) => r.backend === "host-b"), `turns were spread over both hosts: ${before.map((r) => r.backend).join(",")}`);
    assert.ok(before.every((r) => /least outstanding work/.test(r.reason)), "the group chose by outstanding work");
    const after = routed.filter((r) => r.afterKill);
    assert.ok(after.length > 0, "turns ran after the kill");
    assert.ok(
      after.filter((r) => r.backend === "host-a").length <= 1,
      `after the kill the turns go to host B (at most one finished on A as it died): ${after.map((r) => r.backend).join(",")}`,
    );
  } finally {
    await engine.dispose();
    a.child.kill("SIGKILL");
    b.child.kill("SIGTERM");
    await Promise.all([a.exited, b.exited]);
    delete process.env.CONCLAVE_HOST_A_API_KEY;
    delete process.env.CONCLAVE_HOST_B_API_KEY;
    await rm(dir, { recursive: true, force: true });
  }
});
