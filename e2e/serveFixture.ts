/**
 * Starts a loopback host for the e2e on throwaway data: a temp DB, models folder and export folder,
 * with the real test model (stories260K when present) added to the library. Prints the host's
 * listening line, which the test parses, and exits cleanly on SIGTERM.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../electron/engine/createEngine.js";
import { serve } from "../electron/host/serve.js";
import { generatedModel, realTestModel } from "../models/test/testModels.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-e2e-"));
const engine = await createEngine({
  dbPath: join(dir, "conclave.db"),
  modelsDir: join(dir, "models"),
  exportDir: join(dir, "exports"),
  stateRoot: join(dir, "state"),
});
// Two models: the real one the committee starts on, and a generated one to hot-swap to and compare.
await engine.library.addPath(await realTestModel());
await engine.library.addPath(await generatedModel("tiny-chat"));
await serve({ engine, handleSignals: true, ...(process.env.CONCLAVE_E2E_PORT ? { port: Number(process.env.CONCLAVE_E2E_PORT) } : {}) });
