/**
 * `conclave replay` on the real model, as a user runs it: a pipeline from `conclave run` replayed
 * with its stored seed prints the replay and then its report (identical here); `--json` gives the
 * report as the contract's JSON. The replay's origin is stored.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SessionInfo } from "../../shared/conversation.js";
import { ReplayReport } from "../../shared/lineage.js";
import { realTestModel } from "../../models/test/testModels.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 600_000 });
}

test("conclave replay <id> reruns the session with its seed and reports no divergence", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-replay-"));
  try {
    const db = path.join(dir, "c.db");
    const model = await realTestModel();
    const file = path.join(dir, "pipeline.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "cli replay",
        task: "Write a story about a dragon who is afraid of the dark.",
        seed: 21,
        roles: ["drafter", "editor"].map((name) => ({ name, model, maxTokens: 96, contextSize: 1024 })),
        protocol: { kind: "pipeline" },
      }),
    );
    const run = conclave(["run", file, "--db", db], dir);
    assert.equal(run.status, 0, run.stderr);
    const [source] = SessionInfo.array().parse(JSON.parse(conclave(["sessions", "--json", "--db", db], dir).stdout));
    assert.ok(source);

    const replay = conclave(["replay", source.id, "--db", db], dir);
    assert.equal(replay.status, 0, replay.stderr);
    assert.doesNotMatch(replay.stderr, /warning:/, "a local pipeline replays exactly");
    assert.match(replay.stdout, /^# cli replay · replay$/m);
    assert.match(replay.stdout, new RegExp(`^# replay \\S+ of ${source.id} \\(completed\\): identical: \\d+ messages match in speaker, type and content$`, "m"));
    // The replay printed the same transcript lines as the source (speaker, type, content).
    const strip = (text: string) => text.split("\n").filter((l) => l.startsWith("[m")).map((l) => l.replace(/ conf [\d.]+/, ""));
    assert.deepEqual(strip(replay.stdout), strip(run.stdout));

    const json = conclave(["replay", source.id, "--json", "--db", db], dir);
    assert.equal(json.status, 0, json.stderr);
    const report = ReplayReport.parse(JSON.parse(json.stdout.trim().split("\n").at(-1)!));
    assert.equal(report.sourceId, source.id);
    assert.equal(report.firstDivergence, null);
    const sessions = SessionInfo.array().parse(JSON.parse(conclave(["sessions", "--json", "--db", db], dir).stdout));
    assert.equal(sessions.filter((s) => s.origin?.kind === "replay" && s.origin.sessionId === source.id).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
