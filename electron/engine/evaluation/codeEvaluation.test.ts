/**
 * A small code task set through the engine's front door: each task carries its own attachment and
 * a hidden test (`checkFiles`) that only the check's sandboxed workspace receives. The committee and
 * the same-budget baseline run on scripted models whose one answer is right for one task and wrong
 * for the other, so pass@1 and pass@k are known exactly: ½ for both, with the evidence in results.json.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { EvalResults } from "../../../shared/evalResults.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import { scriptedModel } from "../../../models/test/testModels.js";
import { createEngine } from "../createEngine.js";
import { tempDir } from "../data/store/test/testSupport.js";

const skip = process.platform !== "linux" ? "the bubblewrap sandbox is Linux's" : false;

const ANSWER = "```js file=solution.mjs\nexport const add = (a, b) => a + b;\n```";
const HIDDEN = 'import { readFileSync } from "node:fs";\nimport * as s from "./solution.mjs";\nconst wantsSub = readFileSync("README.md", "utf8").startsWith("subtract");\nconst ok = wantsSub ? typeof s.sub === "function" && s.sub(5, 3) === 2 : s.add(2, 3) === 5;\nif (!ok) { console.error(wantsSub ? "sub is missing" : "add is wrong"); process.exit(1); }\n';

test("a code task set: attachments per task, hidden tests, pass@1 for committee and baseline, pass@k in results.json", { skip }, async () => {
  const t = tempDir("conclave-code-eval-");
  const engine = await createEngine({ dbPath: path.join(t.dir, "c.db"), modelsDir: path.join(t.dir, "models"), exportDir: path.join(t.dir, "exports"), stateRoot: path.join(t.dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });
  try {
    const model = await scriptedModel(JSON.stringify({ type: "answer", content: ANSWER, referencesTo: [], confidence: 0.8 }));
    const experiment: ExperimentInput = {
      title: "Two code tasks",
      task: "Write solution.mjs.",
      seed: 3,
      roles: [{ name: "coder", model, maxTokens: 200 }],
      protocol: { kind: "pipeline" },
      tasks: [
        { id: "add", prompt: "Export add(a, b).", attachments: [{ path: "README.md", content: "add two numbers\n" }] },
        { id: "sub", prompt: "Export sub(a, b).", attachments: [{ path: "README.md", content: "subtract two numbers\n" }] },
      ],
      // The hidden test asks for what the task's README asks for; only the check's workspace gets it.
      check: { kind: "command", run: ["node", "hidden.test.mjs"], checkFiles: [{ path: "hidden.test.mjs", content: HIDDEN }] },
      // The baseline answers in plain text (no typed-turn JSON around the code), as a single model would.
      baseline: { kind: "best-of-n", model: await scriptedModel(ANSWER) },
    };
    const out = path.join(t.dir, "out");
    const started = await engine.evaluations.run(experiment, { out });
    const run = await engine.evaluations.wait(started.id);
    assert.equal(run.status, "completed", run.error ?? "");
    const results = EvalResults.parse(JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")));
    assert.equal(results.check, "command");
    const add = results.tasks.find((x) => x.id === "add")!;
    const sub = results.tasks.find((x) => x.id === "sub")!;
    assert.equal(add.committee.correct, true);
    assert.equal(sub.committee.correct, false);
    assert.equal(add.committee.check?.run?.exitCode, 0);
    assert.equal(add.committee.check?.run?.sandbox, "bubblewrap");
    assert.match(sub.committee.check?.run?.stderr ?? "", /sub is missing/);
    assert.deepEqual(add.committee.check?.artifacts, ["solution.mjs"]);
    assert.equal(results.committee.accuracy, 0.5, "committee pass@1");
    assert.equal(results.baseline?.accuracy, 0.5, `baseline pass@1: ${JSON.stringify(add.baseline)}`);
    // Every sample of the scripted baseline is the same answer: c = n on add, 0 on sub.
    assert.equal(add.samples?.c, add.samples?.n);
    assert.equal(sub.samples?.c, 0);
    assert.ok(results.passAtK, "pass@k is reported");
    for (const v of Object.values(results.passAtK)) assert.equal(v, 0.5);
    // The hidden test never reached a role: no message of either session holds it.
    for (const task of results.tasks) {
      const { messages } = await engine.sessions.messages(task.sessionId!, 0, 1000);
      assert.ok(messages.every((m) => !m.content.includes("hidden.test.mjs") && !m.content.includes("wantsSub")));
      assert.ok(messages.some((m) => m.from === "user" && m.content.includes("README.md")), "the task's attachment was shown");
    }
  } finally {
    await engine.dispose();
    t.cleanup();
  }
});
