import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ExperimentFileError, loadExperiment } from "./loadExperiment.js";

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "conclave-exp-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const ok = {
  title: "t",
  task: "Tell a story.",
  roles: [{ name: "a", model: "../models/m.gguf" }, { name: "b", model: "generated:tiny" }],
  protocol: { kind: "debate", rounds: 1 },
};

async function failure(file: string): Promise<ExperimentFileError> {
  try {
    await loadExperiment(file);
  } catch (error) {
    assert.ok(error instanceof ExperimentFileError, String(error));
    return error;
  }
  assert.fail("expected an ExperimentFileError");
}

test("relative model paths resolve against the file's folder; JSON and YAML", withDir(async (dir) => {
  const json = path.join(dir, "e.json");
  writeFileSync(json, JSON.stringify(ok));
  const a = await loadExperiment(json);
  assert.equal(a.experiment.roles[0]!.model, path.resolve(dir, "../models/m.gguf"));
  assert.equal(a.experiment.roles[1]!.model, "generated:tiny");
  const yaml = path.join(dir, "e.yaml");
  writeFileSync(yaml, "task: Tell a story.\nroles:\n  - name: a\n    model: ./m.gguf\nprotocol:\n  kind: pipeline\n");
  const b = await loadExperiment(yaml);
  assert.equal(b.experiment.roles[0]!.model, path.join(dir, "m.gguf"));
  assert.equal(b.experiment.protocol.kind, "pipeline");
}));

test("malformed files name the file, the field and the reason", withDir(async (dir) => {
  const bad = path.join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ ...ok, roles: [{ name: "a", model: "" , temperature: 9 }], protocol: { kind: "chaos" } }));
  const e = await failure(bad);
  assert.match(e.message, /bad\.json/);
  const paths = e.issues.map((i) => i.path);
  assert.ok(paths.includes("roles[0].model"), paths.join());
  assert.ok(paths.includes("roles[0].temperature"), paths.join());
  assert.ok(paths.includes("protocol.kind"), paths.join());
  assert.match(e.message, /roles\[0\]\.temperature: .+/);

  const syntax = path.join(dir, "syntax.json");
  writeFileSync(syntax, "{ not json");
  assert.match((await failure(syntax)).message, /syntax\.json[\s\S]*JSON syntax error/);

  const yaml = path.join(dir, "bad.yaml");
  writeFileSync(yaml, "task: [unclosed\n");
  assert.match((await failure(yaml)).message, /bad\.yaml[\s\S]*YAML syntax error/);

  const missing = await failure(path.join(dir, "nope.json"));
  assert.match(missing.message, /nope\.json[\s\S]*no such file/);

  const chair = path.join(dir, "chair.json");
  writeFileSync(chair, JSON.stringify({ ...ok, protocol: { kind: "roundtable", chair: "zed" } }));
  assert.match((await failure(chair)).message, /protocol\.chair: 'zed' is not one of the roles/);
}));
