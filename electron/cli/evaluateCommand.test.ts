/**
 * `conclave run` of an experiment with a task file: plain progress lines when stderr is not a
 * terminal, a summary on stdout, `results.json` in `--out` (default `./results/<file name>/`), and a
 * rerun that skips every finished task; a bad task file is refused with its line. The live bar's text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EvalResults } from "../../shared/evalResults.js";
import { realTestModel } from "../../models/test/testModels.js";
import { EvaluationProgress, formatDuration, progressBar } from "./evaluationProgress.js";
import { defaultEvaluationOut } from "./evaluateCommand.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

// Model processes load the TypeScript sources through tsx, which resolves from the working directory.
function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 480_000 });
}

test("the live bar: done of all, ETA and the current step, redrawn in place on a terminal; plain lines elsewhere", () => {
  assert.equal(progressBar(3, 6, 10), "[█████░░░░░] 3/6");
  assert.equal(formatDuration(65_400), "1:05");
  assert.equal(formatDuration(3_725_000), "1:02:05");
  const summary = { id: "r", title: "t", status: "running" as const, outDir: "/o", total: 4, done: 1, failed: 0, skipped: 0, current: { taskId: "t2", sessionId: "s", phase: "baseline" as const }, inFlight: [], concurrency: 1, concurrencyLimit: null, etaMs: 90_000, error: null, createdAt: 0, updatedAt: 0 };
  const tty: string[] = [];
  new EvaluationProgress(true, (t) => tty.push(t)).update(summary);
  const drawn = tty.join("");
  assert.ok(drawn.startsWith("\r\u001b[2K"), "the line is cleared and redrawn in place");
  assert.match(drawn.slice(5), /^\[█+░+\] 1\/4 · ETA 1:30 · t2: baseline$/);
  const plain: string[] = [];
  const p = new EvaluationProgress(false, (t) => plain.push(t));
  p.update({ ...summary, current: { ...summary.current, phase: "committee" } });
  p.update(summary);
  assert.deepEqual(plain, ["task 2/4: t2 (ETA 1:30)\n"]);
  assert.equal(defaultEvaluationOut("examples/evaluate-arithmetic.yaml"), path.resolve("results", "evaluate-arithmetic"));
});

test("conclave run of a task set: progress lines, summary, results.json in --out, and a rerun that skips finished tasks", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-evalcli-"));
  try {
    const model = await realTestModel();
    writeFileSync(path.join(dir, "tasks.csv"), 'id,prompt,reference\nsum,"What is 2 + 2?",4\nword,"Say a colour.",blue\n');
    const file = path.join(dir, "eval.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "CLI evaluation",
        task: "Answer briefly.",
        seed: 4,
        roles: [{ name: "a", model, maxTokens: 16 }, { name: "b", model, maxTokens: 16 }],
        protocol: { kind: "pipeline" },
        tasks: "tasks.csv",
        check: { kind: "regex" },
        baseline: { kind: "single", model: "a" },
      }),
    );
    const db = path.join(dir, "c.db");
    const out = path.join(dir, "out");
    const first = conclave(["run", file, "--db", db, "--out", out], dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /^task 1\/2: sum$/m);
    assert.match(first.stderr, /^task 2\/2: word \(ETA \d+:\d\d\)$/m);
    assert.match(first.stderr, /^sum: committee .* (✓|✗) \d+ tok · baseline .* \d+ tok · winner \S+ \(\d+\.\d s\)$/m);
    assert.doesNotMatch(first.stderr, /\r/, "no terminal control outside a terminal");
    assert.match(first.stdout, /^committee: accuracy [\d.]+% \(\d\/2 checked\), \d+ tokens$/m);
    assert.match(first.stdout, /^baseline \(single\): accuracy/m);
    const results = path.join(out, "results.json");
    assert.ok(existsSync(results), "results.json in --out");
    assert.match(first.stdout, new RegExp(`wrote ${results.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    const parsed = EvalResults.parse(JSON.parse(readFileSync(results, "utf8")));
    assert.deepEqual(parsed.tasks.map((t) => t.id), ["sum", "word"]);
    assert.equal(parsed.check, "regex");

    const again = conclave(["run", file, "--db", db, "--out", out], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /2 of 2 tasks already done, skipped/);
    assert.doesNotMatch(again.stderr, /^task \d/m, "nothing ran again");
    const sessions = JSON.parse(conclave(["sessions", "--json", "--db", db], dir).stdout) as unknown[];
    assert.equal(sessions.length, 2, "one committee session per task, none added by the rerun");

    writeFileSync(path.join(dir, "bad.csv"), "id,prompt\nx,\n");
    writeFileSync(path.join(dir, "bad.json"), readFileSync(file, "utf8").replace("tasks.csv", "bad.csv"));
    const bad = conclave(["run", path.join(dir, "bad.json"), "--db", db, "--out", out], dir);
    assert.equal(bad.status, 2, "a bad task file is refused before any model runs, as a bad experiment is");
    assert.match(bad.stderr, /bad\.csv:2: task 1: prompt: a task prompt is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
