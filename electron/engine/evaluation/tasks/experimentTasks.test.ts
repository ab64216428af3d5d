import { test } from "node:test";
import assert from "node:assert/strict";
import { Experiment, experimentErrors, fieldPath } from "../../../../shared/experiment.js";

const base = { task: "Answer with a number.", roles: [{ name: "a", model: "m.gguf" }, { name: "b", model: "m.gguf" }], protocol: { kind: "roundtable" } };
const issues = (input: object): string[] => {
  const r = Experiment.safeParse(input);
  return r.success ? experimentErrors(r.data).map((i) => `${i.path}: ${i.message}`) : r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
};

test("task sets, checks, extraction and baselines validate with field paths", () => {
  const ok = Experiment.parse({
    ...base,
    tasks: [{ id: "t1", prompt: "6 × 7?", reference: 42 }],
    check: { kind: "numeric", tolerance: 0.5 },
    extract: "answer: (\\d+)",
    baseline: { kind: "self-consistency", model: "a" },
  });
  assert.deepEqual(ok.check, { kind: "numeric", tolerance: 0.5, relative: false });
  assert.deepEqual(Experiment.parse({ ...base, tasks: "data/tasks.jsonl", check: "exact" }).check, { kind: "exact", caseSensitive: false });
  assert.deepEqual(issues({ ...base, tasks: "tasks.txt" }), ["tasks: a task file ends in .jsonl, .csv, .yaml or .yml"]);
  assert.match(issues({ ...base, tasks: [{ id: "", prompt: "p" }] }).join(), /tasks\[0\]\.id: a task id is required/);
  assert.match(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], check: { kind: "fuzzy" } }).join(), /^check\.kind: /);
  assert.match(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], check: { kind: "numeric", tolerance: -1 } }).join(), /check\.tolerance: /);
  assert.match(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], check: { kind: "judge" } }).join(), /check\.judge: /);
  assert.deepEqual(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], extract: "(" }), ["extract: not a pattern this engine runs: missing closing ): `(`"]);
  assert.match(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], baseline: { kind: "majority" } }).join(), /baseline\.kind: /);
  assert.deepEqual(issues({ ...base, baseline: { kind: "single" } }), ["baseline: a baseline runs on a task set: add `tasks`"]);
  assert.deepEqual(issues({ ...base, tasks: [{ id: "x", prompt: "p" }, { id: "x", prompt: "q" }] }), ["tasks[1].id: duplicate task id 'x' (first at tasks[0])"]);
  assert.deepEqual(issues({ ...base, tasks: [{ id: "x", prompt: "p" }], check: "exact" }), ["tasks[0].reference: a exact check needs a reference answer"]);
  assert.deepEqual(issues({ ...base, tasks: [{ id: "x", prompt: "p", reference: "forty" }], check: "numeric" }), ['tasks[0].reference: a numeric check needs a number (got "forty")']);
  assert.deepEqual(issues({ ...base, protocol: { kind: "compare", bothOrders: "yes" } }).length, 1);
});

test("the evaluation example loads with its task file", async () => {
  const { fileURLToPath } = await import("node:url");
  const { loadExperiment } = await import("../../conversation/session/loadExperiment.js");
  const { loadTaskSet } = await import("./loadTaskSet.js");
  const { checkerFor } = await import("./checkers.js");
  const { extractAnswer } = await import("./extractAnswer.js");
  const file = fileURLToPath(new URL("../../../../examples/evaluate-arithmetic.json", import.meta.url));
  const { experiment } = await loadExperiment(file);
  assert.deepEqual(experimentErrors(experiment), []);
  const tasks = await loadTaskSet(experiment.tasks!, file);
  assert.equal(tasks.length, 6);
  const check = checkerFor(experiment.check!)!;
  assert.equal(check(extractAnswer("Let me think. Answer: 42", experiment.extract), tasks[0]!).correct, true);
  assert.equal(check(extractAnswer("Answer: 41", experiment.extract), tasks[0]!).correct, false);
});
