import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadTaskSet, TaskSetError } from "./loadTaskSet.js";

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-tasks-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const expected = [
  { id: "t1", prompt: "What is 6 × 7?", reference: "42" },
  { id: "t2", prompt: "Say \"hi\",\nthen stop.", reference: "hi" },
  { id: "t3", prompt: "Name a colour." },
];

test("task sets load from JSONL, CSV and YAML, relative to the experiment file", () =>
  withDir(async (dir) => {
    const exp = path.join(dir, "sub", "experiment.json");
    const data = path.join(dir, "data");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(data);
    writeFileSync(path.join(data, "t.jsonl"), `${expected.map((t) => JSON.stringify(t)).join("\n")}\n\n`);
    writeFileSync(path.join(data, "t.csv"), 'id,prompt,reference\nt1,What is 6 × 7?,42\nt2,"Say ""hi"",\nthen stop.",hi\nt3,Name a colour.,\n');
    writeFileSync(path.join(data, "t.yaml"), 'tasks:\n  - id: t1\n    prompt: "What is 6 × 7?"\n    reference: "42"\n  - id: t2\n    prompt: "Say \\"hi\\",\\nthen stop."\n    reference: hi\n  - id: t3\n    prompt: Name a colour.\n');
    for (const f of ["t.jsonl", "t.csv", "t.yaml"]) assert.deepEqual(await loadTaskSet(`../data/${f}`, exp), expected, f);
    writeFileSync(path.join(data, "list.yml"), "- id: a\n  prompt: p\n  reference: 3\n");
    assert.deepEqual(await loadTaskSet("list.yml", path.join(data, "e.yaml")), [{ id: "a", prompt: "p", reference: 3 }]);
    assert.deepEqual(await loadTaskSet([{ id: "x", prompt: "y" }], null), [{ id: "x", prompt: "y" }]);
  }));

test("a bad task file names the file, the line and the reason", () =>
  withDir(async (dir) => {
    const exp = path.join(dir, "e.json");
    const fail = async (name: string, body: string, pattern: RegExp, line: number | null) => {
      writeFileSync(path.join(dir, name), body);
      const error = await loadTaskSet(name, exp).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof TaskSetError, `${name}: ${String(error)}`);
      assert.equal(error.file, path.join(dir, name));
      assert.equal(error.line, line, `${name}: ${error.message}`);
      assert.match(error.message, pattern);
    };
    await fail("a.jsonl", '{"id":"1","prompt":"p"}\n{"id":"2",\n', /not valid JSON/, 2);
    await fail("b.jsonl", '{"id":"1","prompt":"p"}\n\n{"id":"2"}\n', /task 2: prompt: /, 3);
    await fail("c.jsonl", '{"id":"1","prompt":"p"}\n{"id":"1","prompt":"q"}\n', /duplicate task id '1' \(first on line 1\)/, 2);
    await fail("d.csv", "id,question\n1,p\n", /no 'prompt' column/, 1);
    await fail("e.csv", 'id,prompt\n1,"unclosed\n', /not valid CSV/, 2);
    await fail("f.yaml", "- id: a\n  prompt: p\n- id: b\n  prompt: 7\n", /task 2: prompt: /, 3);
    await fail("g.yaml", "tasks: [a, b\n", /Flow sequence/, 2);
    await fail("h.yaml", "title: no tasks here\n", /expected a list of tasks/, 1);
    await fail("i.jsonl", "\n", /no tasks/, null);
    const missing = await loadTaskSet("nope.csv", exp).then(() => null, (e: unknown) => e);
    assert.match(String(missing), /nope\.csv: no such file/);
  }));

test("a FIFO as a task file is refused at once, and no error quotes the file's content", { timeout: 120_000 }, () =>
  withDir(async (dir) => {
    const exp = path.join(dir, "e.json");
    const reason = async (name: string) => {
      const error = await loadTaskSet(name, exp).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof TaskSetError, `${name}: ${String(error)}`);
      assert.doesNotMatch(error.message, /SECRET/, `${name} quoted its content: ${error.message}`);
      return `${error.line ?? "-"}: ${error.reason}`;
    };
    // Without the check, reading a FIFO waits for a writer that never comes.
    if (spawnSync("mkfifo", [path.join(dir, "pipe.jsonl")]).status === 0) {
      assert.equal(await reason("pipe.jsonl"), "-: cannot be read: it is a FIFO (named pipe), not a regular file");
    }
    writeFileSync(path.join(dir, "key.jsonl"), "sk-SECRET-0123456789abcdef\n");
    assert.equal(await reason("key.jsonl"), "1: not valid JSON (unexpected character)");
    writeFileSync(path.join(dir, "key.csv"), 'id,prompt\n"SECRET,unclosed\n');
    assert.match(await reason("key.csv"), /^\d+: not valid CSV \(quote not closed\)$/);
    writeFileSync(path.join(dir, "key.yaml"), "- id: a\n  prompt: SECRET: x: y\n");
    assert.match(await reason("key.yaml"), /^2: not valid YAML/);
    const bomb = ["- id: a", "  prompt: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f", "g"].map((k, i) => `  ${k}: &${k} [${Array(9).fill(`*${"abcdefg"[i]}`).join(", ")}]`)].join("\n");
    writeFileSync(path.join(dir, "bomb.yaml"), `${bomb}\n`);
    assert.equal(await reason("bomb.yaml"), "1: this task has aliases that expand too far (a document built to exhaust memory)");
    writeFileSync(path.join(dir, "typo.jsonl"), `${JSON.stringify({ id: "a", prompt: "p", refrence: "SECRET" })}\n`);
    assert.equal(await reason("typo.jsonl"), `1: task 1: refrence: unknown field "refrence" (did you mean 'reference'?)`);
  }));
