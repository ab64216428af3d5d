/**
 * Property test over what an experiment file and a task file can carry: random and hostile values
 * in every field (ReDoS patterns where patterns go, huge enums and `$ref` cycles in a json-schema
 * check, deep nesting, unknown and misspelt fields, control characters, huge strings), sent to a
 * real host as `sessions.preview` (which plans the routes, so route patterns run) and read as
 * files by the engine's own loaders. Every request must be answered, every file accepted or
 * refused with a located error that quotes nothing of it, and at the end another connection's
 * `slots.list` is answered: the host stayed alive and responsive.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { stringify as stringifyYaml } from "yaml";
import { WebSocket } from "ws";
import { startTestHost, type TestHost } from "./test/testHosts.js";
import { ExperimentFileError, loadExperiment } from "../engine/conversation/session/loadExperiment.js";
import { loadTaskSet, TaskSetError } from "../engine/evaluation/tasks/loadTaskSet.js";
import { REDOS_CORPUS } from "../../shared/test/redosCorpus.js";

let h: TestHost;
let dir: string;
before(async () => {
  h = await startTestHost("xfuzz");
  dir = await mkdtemp(path.join(tmpdir(), "conclave-xfuzz-"));
});
after(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One RPC connection: `call` resolves with the reply frame, or rejects when none comes in time. */
async function connectRpc() {
  const ws = new WebSocket(`ws://127.0.0.1:${h.host.port}/rpc?token=${h.host.token}`);
  await new Promise<void>((resolve, reject) => (ws.once("open", () => resolve()), ws.once("error", reject)));
  const waiting = new Map<number, (frame: Record<string, unknown>) => void>();
  ws.on("message", (data: Buffer) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    if (frame.kind === "reply") waiting.get(frame.id as number)?.(frame);
  });
  let next = 1;
  return {
    call(method: string, params: unknown, limitMs = 60_000): Promise<Record<string, unknown>> {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${method} within ${limitMs} ms`)), limitMs);
        waiting.set(id, (frame) => (clearTimeout(timer), waiting.delete(id), resolve(frame)));
        ws.send(JSON.stringify({ kind: "request", id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

/** The text planted in files: no error may echo it. */
const MARK = "SECRET-MARK";
const evilText = `${"a".repeat(40)}b`;
const nested = (depth: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...REDOS_CORPUS),
  fc.constantFrom("(?=a)", "(a)\\1", "[", "\u0000", "\u0000\u0001\u001b", MARK, evilText, "-1e400", "../../etc/passwd", "NaN", "__proto__", "constructor", "*a", "&a"),
  fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53, 0.5, 9999999, true, null),
  fc.constantFrom(nested(150), nested(30), "x".repeat(100_000), Array.from({ length: 5000 }, (_, i) => i)),
  fc.json({ maxDepth: 3 }).map((j) => JSON.parse(j) as unknown),
  fc.string({ maxLength: 40 }),
);
const hostileSchema: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom({ $ref: "#" }, { enum: Array.from({ length: 50_000 }, (_, i) => `v${i}`) }, { $ref: "#/nope" }, { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }, { type: 12 }, nested(90, { type: "string" })),
  fc.constantFrom(...REDOS_CORPUS).map((p) => ({ type: "object", properties: { s: { type: "string", pattern: p } }, patternProperties: { [p]: {} } })),
  hostileValue.map((v) => ({ type: "object", properties: { a: v } })),
);

const fieldPaths: (string | number)[][] = [
  ["task"], ["title"], ["seed"], ["extract"], ["roles", 0, "name"], ["roles", 0, "model"], ["roles", 0, "temperature"], ["roles", 0, "maxTokens"],
  ["roles", 1, "system"], ["roles", 1, "contextSize"], ["protocol", "kind"], ["protocol", "rounds"], ["protocol", "chair"], ["protocol", "routes", 0, "pattern"],
  ["protocol", "routes", 1, "pattern"], ["protocol", "routes", 0, "role"], ["protocol", "complexity"], ["check", "pattern"], ["check", "judge"], ["tasks", 0, "reference"],
  ["tasks", 0, "prompt"], ["tasks", 0, "id"], ["swaps"], ["state"], ["context", "policy"], ["budget", "usd"], ["library"], ["backends"], ["roles", 0, "temprature"], ["roundz"], ["protocol", "chiar"],
];

function setAt(target: Record<string, unknown>, at: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (const [i, key] of at.entries()) {
    if (i === at.length - 1) node[key] = value;
    else {
      if (typeof node[key] !== "object" || node[key] === null) node[key] = typeof at[i + 1] === "number" ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
  }
}

interface Case {
  kind: "route" | "regex" | "schema" | "judge";
  edits: [number, unknown][];
  schema: unknown;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  kind: fc.constantFrom("route", "regex", "schema", "judge"),
  edits: fc.array(fc.tuple(fc.nat({ max: fieldPaths.length - 1 }), hostileValue), { maxLength: 4 }),
  schema: hostileSchema,
});

/** A valid experiment of the case's kind, then the case's edits applied. */
function experimentOf(c: Case): Record<string, unknown> {
  const e: Record<string, unknown> = {
    title: "fuzz",
    task: evilText,
    roles: [{ name: "a", model: h.modelPath, maxTokens: 8 }, { name: "b", model: h.modelPath, maxTokens: 8 }],
    protocol: c.kind === "route" ? { kind: "route", routes: [{ pattern: "^(a+)+$", role: "a" }, { pattern: "b$", role: "b" }] } : { kind: "roundtable", rounds: 1 },
    tasks: [{ id: "t1", prompt: evilText, reference: "^(a+)+$" }],
    extract: "^(a+)+$",
    check: c.kind === "regex" ? { kind: "regex" } : c.kind === "schema" ? { kind: "json-schema", schema: c.schema } : { kind: "judge", judge: "a" },
  };
  for (const [i, value] of c.edits) setAt(e, fieldPaths[i]!, value);
  return e;
}

test("hostile experiments over the RPC and as files: answered, refused with a located error, never echoed", { timeout: 900_000 }, async () => {
  const rpc = await connectRpc();
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, fc.boolean(), async (c, yaml) => {
        const experiment = experimentOf(c);
        const reply = await rpc.call("sessions.preview", { experiment });
        assert.equal(reply.kind, "reply");
        if (reply.ok === false) assert.match(String((reply.error as { message: string }).message), /\S/);
        const file = path.join(dir, `e${n++}.${yaml ? "yaml" : "json"}`);
        await writeFile(file, yaml ? stringifyYaml(experiment, { aliasDuplicateObjects: false }) : JSON.stringify(experiment));
        try {
          await loadExperiment(file);
        } catch (error) {
          assert.ok(error instanceof ExperimentFileError, `${file}: ${String(error)}`);
          assert.ok(error.issues.length > 0 && error.issues.every((i) => i.path.length > 0 && i.message.length > 0));
        }
      }),
      { numRuns: 60 },
    );
  } finally {
    rpc.close();
  }
});

const taskLine: fc.Arbitrary<string> = fc.oneof(
  hostileValue.map((v) => JSON.stringify({ id: "t", prompt: MARK, reference: v })),
  hostileValue.map((v) => JSON.stringify({ id: v, prompt: v, refrence: MARK })),
  fc.constantFrom(`${MARK} {`, `{"id": "${MARK}`, '"\u0000"', `"${MARK}",x,"y`, `- &a [${MARK}, *a]`, `${"[".repeat(5000)}`, `a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b]`),
  fc.string({ maxLength: 60 }).map((s) => `${MARK}${s}`),
);

test("hostile task files load or are refused with the file and the reason, quoting nothing", { timeout: 900_000 }, async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("jsonl", "csv", "yaml"), fc.array(taskLine, { minLength: 1, maxLength: 5 }), async (ext, lines) => {
      const name = `t${n++}.${ext}`;
      await writeFile(path.join(dir, name), ext === "csv" ? `id,prompt,reference\n${lines.join("\n")}\n` : `${lines.join("\n")}\n`);
      try {
        await loadTaskSet(name, path.join(dir, "e.json"));
      } catch (error) {
        assert.ok(error instanceof TaskSetError, `${name}: ${String(error)}`);
        assert.ok(!error.message.includes(MARK), `${name} echoed its content: ${error.message}`);
      }
    }),
    { numRuns: 60 },
  );
});

test("hostile search queries are answered, and another connection is answered at the end", { timeout: 900_000 }, async () => {
  const rpc = await connectRpc();
  const other = await connectRpc();
  try {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), hostileValue.filter((v): v is string => typeof v === "string" && v.length < 2000)), async (query) => {
        const reply = await rpc.call("search.sessions", { query });
        assert.equal(reply.kind, "reply");
        if (reply.ok === false) assert.notEqual((reply.error as { code: string }).code, "invalid-result");
      }),
      { numRuns: 60 },
    );
    const slots = await other.call("slots.list", {});
    assert.equal(slots.ok, true, JSON.stringify(slots));
  } finally {
    rpc.close();
    other.close();
  }
});
