/** The experiment's backend choices: schema field paths, no keys anywhere, and the cross-checks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Experiment, experimentErrors, experimentWarnings } from "../../../../shared/experiment.js";
import { backendErrors } from "../../../../shared/roleBackends.js";
import { issueList } from "../../../../shared/strictObject.js";

const base = {
  task: "t",
  roles: [
    { name: "teller", model: "m.gguf" },
    { name: "critic", model: "m.gguf", backend: "lab2", fallback: ["local"] },
  ],
  protocol: { kind: "pipeline" },
};
const lab2 = { name: "lab2", provider: "openai", baseUrl: "http://127.0.0.1:8081/v1", model: "stories260K.gguf" };
const issues = (input: unknown) => {
  const r = Experiment.safeParse(input);
  return r.success ? [] : issueList(r.error).map((i) => `${i.path}: ${i.message}`);
};
const app = [
  { name: "local", provider: "in-process", model: "", enabled: true },
  { name: "lab2", provider: "openai", model: "", enabled: true },
  { name: "off", provider: "ollama", model: "llama3", enabled: false },
];

test("a key-like field is refused wherever a backend is described, naming the field", () => {
  for (const [input, path] of [
    [{ ...base, backends: { define: [{ ...lab2, apiKey: "sk-1" }] } }, "backends.define[0].apiKey"],
    [{ ...base, backends: { define: [{ ...lab2, api_key: "sk-1" }] } }, "backends.define[0].api_key"],
    [{ ...base, backends: { token: "sk-1" } }, "backends.token"],
    [{ ...base, roles: [{ name: "a", model: "m", authorization: "Bearer sk-1" }] }, "roles[0].authorization"],
    [{ ...base, apiKey: "sk-1" }, "apiKey"],
  ] as const) {
    const found = issues(input);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0]!, new RegExp(`^${path.replace(/[[\].]/g, "\\$&")}: an API key never goes in an experiment file`));
  }
});

test("a defined backend: its fields checked with paths, built-in names and unknown fields refused", () => {
  assert.deepEqual(issues({ ...base, backends: { policy: "cost", define: [lab2] } }), []);
  assert.deepEqual(issues({ ...base, backends: { define: [{ ...lab2, name: "local", baseUrl: "127.0.0.1", model: "" }] } }), [
    "backends.define[0].name: 'local' and 'pool' are built in; give this backend another name",
    "backends.define[0].baseUrl: a base URL starting with http:// or https://",
    "backends.define[0].model: the model this backend serves is required",
  ]);
  assert.deepEqual(issues({ ...base, backends: { define: [{ ...lab2, baseURL: "x" }] } }), [`backends.define[0].baseURL: unknown field "baseURL" (did you mean 'baseUrl'?)`]);
  assert.match(issues({ ...base, backends: { policy: "fastest" } })[0] ?? "", /^backends\.policy: /);
});

test("cross-checks: names resolve against the experiment and the app, models are named, pool leads only", () => {
  const own = Experiment.parse({ ...base, backends: { define: [lab2, { ...lab2, name: "lab2" }] } });
  assert.deepEqual(experimentErrors(own).map((i) => i.path), ["backends.define[1].name"]);
  // Without the app's backends only what the file says is checked; with them, every name.
  const e = Experiment.parse({ ...base, roles: [...base.roles, { name: "judge", model: "m", backend: "pool", fallback: ["nowhere", "pool"] }] });
  assert.deepEqual(experimentErrors(e).map((i) => i.path), ["roles[2].fallback[1]"]);
  assert.deepEqual(backendErrors(e, app), [
    { path: "roles[1].backend", message: "backend 'lab2' names no model, so turns sent there would not say which model to run; set its model in Settings → Backends" },
    { path: "roles[2].fallback[0]", message: "'nowhere' is not a backend here (known: local, pool, lab2, off); add it in Settings → Backends or define it under backends.define" },
    { path: "roles[2].fallback[1]", message: "'pool' can only be a role's backend, not a fallback" },
  ]);
  // The experiment's own definition wins over the app's backend of the same name, for its session.
  assert.deepEqual(backendErrors(Experiment.parse({ ...base, backends: { define: [lab2] } }), app), []);
  const off = Experiment.parse({ ...base, roles: [{ name: "teller", model: "m", backend: "off" }] });
  assert.deepEqual(experimentWarnings(off, app).map((w) => w.path), ["roles[0].backend"]);
});

test("a backend group is a role's backend; its members must exist, and it is no fallback", () => {
  const lab3 = { ...lab2, name: "lab3", baseUrl: "http://127.0.0.1:8082/v1" };
  const grouped = (groups: unknown, critic: Record<string, unknown> = { backend: "gpus" }) =>
    Experiment.parse({ ...base, roles: [base.roles[0], { name: "critic", model: "m.gguf", ...critic }], backends: { define: [lab2, lab3], groups } });
  assert.deepEqual(experimentErrors(grouped([{ name: "gpus", members: ["lab2", "lab3"] }]), app), []);
  const unknown = experimentErrors(grouped([{ name: "gpus", members: ["lab2", "nowhere"] }]), app).map((i) => `${i.path}: ${i.message}`);
  assert.ok(unknown.some((m) => m.startsWith("backends.groups[0].members[1]: 'nowhere' is not a backend here")), unknown.join("\n"));
  const chained = experimentErrors(grouped([{ name: "gpus", members: ["lab2"] }], { backend: "lab2", fallback: ["gpus"] }), app);
  assert.ok(chained.some((i) => i.path === "roles[1].fallback[0]" && /only be a role's backend/.test(i.message)));
  const clash = experimentErrors(grouped([{ name: "lab2", members: ["lab3"] }], { backend: "lab3" }), app);
  assert.ok(clash.some((i) => i.path === "backends.groups[0].name"));
  assert.ok(issues({ ...base, backends: { groups: [{ name: "g", members: ["lab2"], token: "x" }] } }).some((m) => m.startsWith("backends.groups[0].token")));
});
