/**
 * The editor's working copy against the CLI's own parser: every example file survives import,
 * editing and export (JSON and YAML) unchanged for `conclave run`, unknown fields included, and
 * validation reports the same field paths the schema does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseExperiment } from "../../../electron/engine/conversation/session/loadExperiment.js";
import { checkDraft, finalDraft, formatOf, getAt, parseDraft, resolveImportedModels, serializeDraft, setAt, type Draft } from "./experimentDraft.js";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));

function must(result: ReturnType<typeof parseDraft>): Draft {
  if ("error" in result) throw new Error(result.error);
  return result.draft;
}

test("every example round-trips through the editor's JSON and YAML exports as conclave run reads it", () => {
  const files = readdirSync(EXAMPLES).filter((f) => /\.(json|ya?ml)$/.test(f));
  assert.ok(files.length >= 8);
  for (const f of files) {
    const file = `${EXAMPLES}${f}`;
    const text = readFileSync(file, "utf8");
    const draft = must(parseDraft(text, formatOf(f)));
    const check = checkDraft(draft);
    assert.deepEqual(check.errors, [], f);
    assert.ok(check.experiment, f);
    const original = parseExperiment(text, file).experiment;
    for (const format of ["json", "yaml"] as const) {
      const exported = serializeDraft(finalDraft(draft), format);
      assert.deepEqual(must(parseDraft(exported, format)), finalDraft(draft), `${f} as ${format}`);
      // Written beside the original, relative model paths resolve the same way.
      assert.deepEqual(parseExperiment(exported, `${EXAMPLES}exported.${format}`).experiment, original, `${f} as ${format}`);
    }
  }
});

test("fields the form does not know survive edits and export", () => {
  let draft: Draft = { task: "t", roles: [{ name: "a", model: "/m.gguf", futureRoleField: { x: 1 } }], protocol: { kind: "pipeline" }, taskSet: ["q1", "q2"] };
  draft = setAt(draft, ["roles", 0, "temperature"], 0.5);
  draft = setAt(draft, ["protocol", "steps"], ["a"]);
  const back = must(parseDraft(serializeDraft(draft, "yaml"), "yaml"));
  assert.deepEqual(back.taskSet, ["q1", "q2"]);
  assert.deepEqual(getAt(back, ["roles", 0, "futureRoleField"]), { x: 1 });
  assert.equal(getAt(back, ["roles", 0, "temperature"]), 0.5);
});

test("setAt: undefined removes a key and an object it empties, paths are created, the input is not changed", () => {
  const draft: Draft = { task: "t", budget: { usd: 1, switchAt: 0.5 } };
  const once = setAt(draft, ["budget", "usd"], undefined);
  assert.deepEqual(once, { task: "t", budget: { switchAt: 0.5 } });
  assert.deepEqual(setAt(once, ["budget", "switchAt"], undefined), { task: "t" });
  assert.deepEqual(draft, { task: "t", budget: { usd: 1, switchAt: 0.5 } });
  assert.deepEqual(setAt({ task: "t" }, ["task"], undefined), {});
  assert.deepEqual(setAt({}, ["swaps", 0, "role"], "x"), { swaps: [{ role: "x" }] });
  assert.deepEqual(finalDraft({ title: "  ", task: "t" }), { task: "t" });
});

test("validation names the field path and the reason", () => {
  const base: Draft = { task: "t", roles: [{ name: "a", model: "/m.gguf" }], protocol: { kind: "roundtable" } };
  const range = checkDraft(setAt(base, ["roles", 0, "temperature"], 9));
  assert.equal(range.experiment, null);
  assert.equal(range.errors[0]?.path, "roles[0].temperature");
  const ghost = checkDraft(setAt(base, ["protocol", "chair"], "ghost"));
  assert.deepEqual(ghost.errors, [{ path: "protocol.chair", message: "'ghost' is not one of the roles (a)" }]);
  const warned = checkDraft(setAt(base, ["swaps"], [{ atRound: 2, role: "b", model: "/m.gguf" }]));
  assert.ok(warned.experiment);
  assert.equal(warned.warnings[0]?.path, "swaps[0].role");
});

test("parse errors say which syntax failed", () => {
  assert.match((parseDraft("{", "json") as { error: string }).error, /^JSON syntax error/);
  assert.match((parseDraft("a: [", "yaml") as { error: string }).error, /^YAML syntax error/);
  assert.match((parseDraft("[1]", "json") as { error: string }).error, /an experiment is an object/);
});

test("imported relative model paths are matched to library models by file name", () => {
  const draft: Draft = {
    roles: [
      { name: "a", model: "../../shared/models/stories260K.gguf" },
      { name: "b", model: "generated:tiny-chat" },
      { name: "c", model: "/abs/other.gguf" },
      { name: "d", model: "models/missing.gguf" },
    ],
    swaps: [{ atRound: 2, role: "a", model: "stories260K.gguf" }],
  };
  const { draft: out, notes } = resolveImportedModels(draft, ["/lib/stories260K.gguf", "/lib/x.gguf"]);
  assert.equal(getAt(out, ["roles", 0, "model"]), "/lib/stories260K.gguf");
  assert.equal(getAt(out, ["roles", 1, "model"]), "generated:tiny-chat");
  assert.equal(getAt(out, ["roles", 2, "model"]), "/abs/other.gguf");
  assert.equal(getAt(out, ["roles", 3, "model"]), "models/missing.gguf");
  assert.equal(getAt(out, ["swaps", 0, "model"]), "/lib/stories260K.gguf");
  assert.equal(notes.length, 3);
  assert.match(notes[1] ?? "", /^roles\[3\]\.model: .*no library model is named missing\.gguf/);
});

test("role backends: checked against the host's backends with field paths; a key never passes", () => {
  const draft: Draft = {
    task: "t",
    roles: [
      { name: "a", model: "m.gguf", backend: "lab2", fallback: ["local"] },
      { name: "b", model: "m.gguf", backend: "nowhere" },
    ],
    protocol: { kind: "pipeline" },
  };
  const host = [{ name: "local", provider: "in-process", model: "", enabled: true }, { name: "lab2", provider: "openai", model: "stories260K.gguf", enabled: true }];
  assert.deepEqual(checkDraft(draft).errors, [], "without the host's backends, names are the engine's to check");
  assert.deepEqual(checkDraft(draft, host).errors.map((e) => e.path), ["roles[1].backend"]);
  const keyed = setAt(setAt(draft, ["roles", 1, "backend"], undefined), ["backends", "define"], [{ name: "x", provider: "openai", baseUrl: "http://h/v1", model: "m", apiKey: "sk-1" }]);
  assert.deepEqual(checkDraft(keyed, host).errors.map((e) => e.path), ["backends.define[0].apiKey"]);
});

test("an imported file's unknown fields are errors at their path, with the field they most likely misspell", () => {
  const draft = must(parseDraft("task: t\nroles:\n  - {name: a, model: /m.gguf, temprature: 0.5}\nprotocol: {kind: pipeline}\nextract: '(?=x)'\n", "yaml"));
  const checked = checkDraft(draft);
  assert.equal(checked.experiment, null);
  assert.deepEqual(
    checked.errors.map((e) => `${e.path}: ${e.message}`).sort(),
    ["extract: not a pattern this engine runs: invalid or unsupported Perl syntax: `(?=` (lookaround and backreferences are not supported: matching runs in linear time)", `roles[0].temprature: unknown field "temprature" (did you mean 'temperature'?)`],
  );
  const secret = parseDraft("sk-SECRET {", "json");
  assert.ok("error" in secret && !secret.error.includes("SECRET"), JSON.stringify(secret));
});
