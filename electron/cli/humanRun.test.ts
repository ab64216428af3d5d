/**
 * `conclave run` with a human seat, in a real process whose stdin is not a TTY: `--answers FILE`
 * feeds the seat's turns (and a scripted interjection) in order and the run completes; without
 * answers the run fails with an error that names the seat.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { realTestModel } from "../../models/test/testModels.js";
import { openStore } from "../engine/data/store/sessionStore.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function run(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 900_000, stdio: ["pipe", "pipe", "pipe"] });
}

test("conclave run --answers feeds a human seat headless; without answers the run names the seat", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-human-"));
  try {
    const model = await realTestModel();
    const file = path.join(dir, "table.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "you at the table",
        task: "Name a good colour for a front door.",
        seed: 3,
        roles: [
          { name: "writer", model, maxTokens: 48, contextSize: 1024 },
          { name: "you", human: true },
        ],
        protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", vote: false },
      }),
    );
    const answers = path.join(dir, "answers.jsonl");
    writeFileSync(
      answers,
      [
        JSON.stringify({ at: { afterMessage: 4 }, content: "Mind the neighbours.", to: ["writer"] }),
        JSON.stringify({ role: "you", content: "Blue, like the sea.", type: "proposal" }),
        JSON.stringify({ role: "you", content: "I agree.", type: "consensus" }),
      ].join("\n"),
    );
    const db = path.join(dir, "c.db");
    const ok = run(["run", file, "--db", db, "--answers", answers], dir);
    assert.equal(ok.status, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.match(ok.stdout, /\] you \(proposal\): Blue, like the sea\./);
    const store = openStore(db);
    try {
      const [session] = store.listSessions();
      const messages = store.listMessages(session!.id, { limit: 100 }).messages;
      assert.deepEqual(messages.filter((m) => m.from === "you").map((m) => m.content), ["Blue, like the sea.", "I agree."]);
      const interjection = messages.find((m) => m.content === "Mind the neighbours.")!;
      assert.deepEqual([interjection.from, interjection.to, interjection.provenance?.human], ["user", ["writer"], true]);
    } finally {
      store.close();
    }

    const none = run(["run", file, "--db", path.join(dir, "d.db")], dir);
    assert.equal(none.status, 1, `${none.stdout}\n${none.stderr}`);
    assert.match(none.stderr, /'you' is a human seat and its turn has come \(round 1\), and nobody can answer here: run on a TTY, pass --answers FILE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
