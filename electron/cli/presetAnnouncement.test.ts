/**
 * `conclave run` with a preset, as a user runs it (the real launcher, the real test model): the
 * expansion is printed before the session starts, and the stored experiment keeps the preset's
 * name and its expansion.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Experiment } from "../../shared/experiment.js";
import { realTestModel } from "../../models/test/testModels.js";
import { openStore } from "../engine/data/store/sessionStore.js";
import { tempDir } from "../engine/data/store/test/testSupport.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

test("conclave run prints a preset's expansion before the run and stores it with the experiment (real model)", async () => {
  const t = tempDir("conclave-preset-run-");
  try {
    const model = await realTestModel();
    const file = join(t.dir, "cheap.json");
    writeFileSync(file, JSON.stringify({ title: "Cheap stories", task: "Tell a tiny story about a frog.", seed: 2, roles: [{ name: "a", model, maxTokens: 40, contextSize: 512 }, { name: "b", model, maxTokens: 40, contextSize: 512 }], protocol: { kind: "roundtable" }, preset: "cheap" }));
    const db = join(t.dir, "c.db");
    const r = spawnSync(process.execPath, [BIN, "run", file, "--db", db], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: t.dir }, timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const preset = r.stdout.indexOf("# preset cheap, expanded for this machine");
    const title = r.stdout.indexOf("# Cheap stories");
    assert.ok(preset >= 0 && title > preset, `the expansion comes first:\n${r.stdout}`);
    assert.match(r.stdout, /# {3}protocol +route: one member answers, chosen by the task's complexity \(a < b\) — one turn per task/);
    assert.match(r.stdout, /# {3}prefetch +off — nothing is loaded for a member that may never speak/);

    const store = openStore(db);
    try {
      const stored = Experiment.parse(store.lastSession()!.experiment);
      assert.equal(stored.preset, "cheap");
      assert.deepEqual(stored.protocol, { kind: "route" }, "the expanded settings ran, not the file's roundtable");
      assert.equal(stored.expansion?.settings.find((s) => s.setting === "context policy")?.value, "summarize");
    } finally {
      store.close();
    }
  } finally {
    t.cleanup();
  }
});
