/**
 * Test support: a real Conclave host on 127.0.0.1 over real services (SlotRegistry, SQLite store)
 * with the real test model in its library, as the compatibility tests and the remote-backend tests
 * need it. Nothing here is a mock: the official clients and the backends talk HTTP to it.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { composeServices, type ComposeOptions } from "../composeServices.js";
import { startHost, type RunningHost } from "../server.js";
import type { ConclaveServices } from "../services.js";
import { realTestModel } from "../../../models/testModels.js";

export interface TestHost {
  host: RunningHost;
  services: ConclaveServices;
  dir: string;
  /** The model's library id (its file name). */
  modelId: string;
  modelPath: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Closes the host and disposes the services; safe to call twice. */
  close(): Promise<void>;
}

/** `extra` adds compose options (a sessions runner, a log sink) to the test host's own. */
export async function startTestHost(label = "compat", extra: Partial<Omit<ComposeOptions, "dbPath" | "modelsDir" | "exportDir">> = {}): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), `conclave-${label}-`));
  const modelsDir = join(dir, "models");
  const staticDir = join(dir, "renderer");
  await mkdir(modelsDir, { recursive: true });
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>Conclave</title>");
  const source = await realTestModel();
  const modelPath = join(modelsDir, basename(source));
  await copyFile(source, modelPath);
  const services = await composeServices({ dbPath: join(dir, "conclave.db"), modelsDir, exportDir: join(dir, "exports"), stateDir: join(dir, "state"), log: () => undefined, ...extra });
  const host = await startHost({ services, staticDir });
  let closed = false;
  return {
    host,
    services,
    dir,
    modelId: basename(source),
    modelPath,
    base: `http://127.0.0.1:${host.port}`,
    async close() {
      if (closed) return;
      closed = true;
      await host.close();
      await services.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
