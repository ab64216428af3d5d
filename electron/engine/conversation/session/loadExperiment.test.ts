import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

test("hostile files are refused early with the file, the field and the reason, never quoting content", { timeout: 120_000 }, withDir(async (dir) => {
  const write = (name: string, body: string): string => {
    writeFileSync(path.join(dir, name), body);
    return path.join(dir, name);
  };
  const lines = (e: ExperimentFileError) => e.issues.map((i) => `${i.path}: ${i.message}`);
  // A "billion laughs" YAML document: refused with the file named, not just the parser's words.
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f", "g"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefg"[i]}`).join(", ")}]`), "task: t"].join("\n");
  const b = await failure(write("bomb.yaml", bomb));
  assert.equal(b.file, path.join(dir, "bomb.yaml"));
  assert.match(lines(b).join(), /^\(root\): YAML aliases expand too far/);
  // Nested 100,000 deep: a located error, not a stack overflow.
  const deep = await failure(write("deep.json", `{"task":"t","roles":[{"name":"a","model":"m.gguf"}],"protocol":{"kind":"pipeline"},"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`));
  assert.match(lines(deep).join(), /^x\[0\]\[0\]\[0\]\[0\]\[0\]: nested more than 100 levels deep$/);
  // A JSON syntax error names the place, not the text (which could be anything the user pointed at).
  const secret = await failure(write("secret.json", "sk-SECRET-CONTENT-1234 and more"));
  assert.deepEqual(lines(secret), ["(root): JSON syntax error: unexpected character"]);
  assert.doesNotMatch(secret.message, /SECRET/);
  const base = { task: "t", roles: [{ name: "a", model: "m.gguf" }, { name: "b", model: "m.gguf" }], protocol: { kind: "roundtable" }, tasks: [{ id: "1", prompt: "p" }] };
  const cycle = await failure(write("cycle.json", JSON.stringify({ ...base, check: { kind: "json-schema", schema: { $ref: "#" } } })));
  assert.match(lines(cycle).join(), /^check\.schema\.\$ref: this \$ref leads back to itself/);
  const ajvRefuses = await failure(write("ajv.json", JSON.stringify({ ...base, check: { kind: "json-schema", schema: { type: 12 } } })));
  assert.match(lines(ajvRefuses).join(), /^check\.schema: not a valid JSON Schema/);
  const judge = await failure(write("judge.json", JSON.stringify({ ...base, check: { kind: "judge", judge: "nobody" } })));
  assert.match(lines(judge).join(), /^check\.judge: 'nobody' is not one of the roles \(a, b\)/);
  const misspelt = await failure(write("misspelt.json", JSON.stringify({ ...base, check: { kind: "judge", judge: "aa" } })));
  assert.match(lines(misspelt).join(), /did you mean 'a'\?/);
  const unknown = await failure(write("unknown.yaml", "task: t\nroundz: 3\nroles:\n  - {name: a, model: m.gguf, temprature: 0.5}\nprotocol: {kind: roundtable, chiar: a}\n"));
  assert.deepEqual(lines(unknown).sort(), [
    `protocol.chiar: unknown field "chiar" (did you mean 'chair'?)`,
    `roles[0].temprature: unknown field "temprature" (did you mean 'temperature'?)`,
    `roundz: unknown field "roundz"`,
  ]);
  const redos = await failure(write("redos.json", JSON.stringify({ ...base, extract: "(?=a)" })));
  assert.match(lines(redos).join(), /^extract: not a pattern this engine runs/);
}));

test("an experiment path that is a FIFO or a directory is refused without blocking", withDir(async (dir) => {
  const fifo = path.join(dir, "e.json");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status === 0) assert.match((await failure(fifo)).message, /\(file\): cannot be read: it is a FIFO \(named pipe\), not a regular file/);
  mkdirSync(path.join(dir, "d.json"));
  assert.match((await failure(path.join(dir, "d.json"))).message, /\(file\): cannot be read: it is a directory/);
}));
