/**
 * Test support for the seat engine: registries over real model processes in a temp folder, all
 * disposed together, and distinct generated model files (same small shape, different weights), so
 * rotation and residency tests can seat more files than fit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SlotRegistry, type SlotRegistryOptions } from "../runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../runtime/library/libraryResolver.js";
import { generatedModel } from "../../../models/generatedModels.js";
import { PRESETS } from "../../../models/gguf/presets.js";

export interface RegistryFixture {
  tmp: string;
  make(options?: Partial<SlotRegistryOptions>): SlotRegistry;
  dispose(): Promise<void>;
}

/** Registries that share a temp folder; one thread per model process, as a busy 2-core machine needs. */
export function registryFixture(prefix: string): RegistryFixture {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `conclave-${prefix}-`));
  const made: SlotRegistry[] = [];
  return {
    tmp,
    make(options = {}) {
      const r = new SlotRegistry({
        resolver: libraryResolver({ modelsDir: tmp }),
        defaultContextSize: 1024,
        threads: 1,
        stateRoot: path.join(tmp, "state"),
        ...options,
      });
      made.push(r);
      return r;
    },
    async dispose() {
      await Promise.all(made.map((r) => r.dispose()));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** `n` distinct small chat models (own files, own fingerprints), generated once into the model cache. */
export async function distinctModels(n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => generatedModel({ ...PRESETS["tiny-chat"], seed: 101 + i, name: `distinct-${i + 1}` })));
}

/** The lab seat named `role`. */
export function lab(role: string): { sessionId: null; role: string } {
  return { sessionId: null, role };
}
