/**
 * `conclave run` honours CONCLAVE_MEMORY_BUDGET like the app does: a four-model committee whose
 * models do not fit together completes by rotation instead of failing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { distinctModels } from "../engine/test/registries.js";
import { openStore } from "../engine/data/store/sessionStore.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

test("conclave run with a memory budget below the committee's needs completes by rotation", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-rotation-"));
  try {
    const models = await distinctModels(4);
    const file = path.join(dir, "four.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "four models, room for two",
        task: "Name a good name for a cat.",
        seed: 3,
        roles: ["a", "b", "c", "d"].map((name, i) => ({ name, model: models[i], maxTokens: 16, contextSize: 512 })),
        protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", vote: false },
      }),
    );
    // A model process costs ~100-130 MB before any model: 405 MB holds the warm spare and two
    // seats of these tiny models, never all four (nor three, for any baseline from 100 MB up).
    const db = path.join(dir, "c.db");
    const r = spawnSync(process.execPath, [BIN, "run", file, "--db", db], {
      encoding: "utf8",
      env: { ...process.env, CONCLAVE_HOME: dir, CONCLAVE_MEMORY_BUDGET: "405MB" },
      timeout: 900_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /rotation: /, "the run says it rotated");
    const store = openStore(db);
    try {
      const [session] = store.listSessions();
      assert.equal(session!.status, "completed");
      const rotations = store.listSwaps(session!.id).filter((s) => s.event.kind === "rotation");
      assert.ok(rotations.length > 0, "seats were parked and reloaded");
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
