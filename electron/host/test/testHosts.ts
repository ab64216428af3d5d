/**
 * Test support: a real Conclave host on 127.0.0.1 over a real engine (seat registry, SQLite store)
 * with the real test model in its library, as the compatibility tests and the remote-backend tests
 * need it. Nothing here is a mock: the official clients and the backends talk HTTP to it.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createEngine, type EngineOptions } from "../../engine/createEngine.js";
import { startHost, type RunningHost } from "../server.js";
import type { Engine } from "../../engine/Engine.js";
import { realTestModel } from "../../../models/test/testModels.js";

export interface TestHost {
  host: RunningHost;
  engine: Engine;
  dir: string;
  /** The model's library id (its file name). */
  modelId: string;
  modelPath: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Closes the host and disposes the engine; safe to call twice. */
  close(): Promise<void>;
}

/**
 * `extra` adds engine options (a log sink, a budget) to the test host's own; `model` puts another
 * GGUF in its library instead of the real test model (a scripted one, say).
 */
export async function startTestHost(label = "compat", extra: Partial<Omit<EngineOptions, "dbPath" | "modelsDir" | "exportDir">> = {}, model?: string): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), `conclave-${label}-`));
  const modelsDir = join(dir, "models");
  const staticDir = join(dir, "renderer");
  await mkdir(modelsDir, { recursive: true });
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>Conclave</title>");
  const source = model ?? (await realTestModel());
  const modelPath = join(modelsDir, basename(source));
  await copyFile(source, modelPath);
  const engine = await createEngine({ dbPath: join(dir, "conclave.db"), modelsDir, exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, ...extra });
  const host = await startHost({ engine, staticDir });
  let closed = false;
  return {
    host,
    engine,
    dir,
    modelId: basename(source),
    modelPath,
    base: `http://127.0.0.1:${host.port}`,
    async close() {
      if (closed) return;
      closed = true;
      await host.close();
      await engine.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
