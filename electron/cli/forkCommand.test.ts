/**
 * `conclave fork` on the real model, as a user runs it: a session from `conclave run`, forked at a
 * message with an experiment file that seats a role on another model; the taken-over messages are
 * printed, the fork runs on, and its origin is stored. Bad fork points exit with a clear error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SessionInfo } from "../../shared/conversation.js";
import { generatedModel, realTestModel } from "../../models/test/testModels.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 600_000 });
}

test("conclave fork <id> --at N --experiment FILE prints the taken-over messages and runs the fork", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-fork-"));
  try {
    const db = path.join(dir, "c.db");
    const model = await realTestModel();
    const experiment = {
      title: "cli fork",
      task: "Tell a story about a lost kitten.",
      seed: 9,
      roles: ["pro", "con"].map((name) => ({ name, model, maxTokens: 24, contextSize: 512 })),
      protocol: { kind: "debate", rounds: 2, vote: false },
    };
    writeFileSync(path.join(dir, "debate.json"), JSON.stringify(experiment));
    const run = conclave(["run", path.join(dir, "debate.json"), "--db", db], dir);
    assert.equal(run.status, 0, run.stderr);
    const [parent] = SessionInfo.array().parse(JSON.parse(conclave(["sessions", "--json", "--db", db], dir).stdout));
    assert.ok(parent);

    const other = await generatedModel("tiny-chat");
    const edited = { ...experiment, roles: experiment.roles.map((r) => (r.name === "con" ? { ...r, model: other } : r)) };
    writeFileSync(path.join(dir, "edited.json"), JSON.stringify(edited));
    const fork = conclave(["fork", parent.id, "--at", "4", "--experiment", path.join(dir, "edited.json"), "--db", db], dir);
    assert.equal(fork.status, 0, fork.stderr);
    // Message heads and headings (a message may go on over indented lines: repairs, multi-line content).
    const lines = fork.stdout.split("\n").filter((l) => l.startsWith("[m") || l.startsWith("# "));
    assert.equal(lines[0], `# forked from ${parent.id} at message 4, experiment edited: con on ${path.basename(other)} (was ${path.basename(model)}); taken over:`);
    assert.deepEqual(lines.slice(1, 5).map((l) => /^\[m(\d+) /.exec(l)?.[1]), ["1", "2", "3", "4"], "messages 1..4, in order");
    assert.match(lines[1]!, /^\[m1 r0\] user \(question\): Tell a story about a lost kitten\./);
    assert.equal(lines[5], "# cli fork · fork at #4");
    assert.match(lines[6]!, /^\[m5 /, "the fork goes on from message 5");
    assert.ok(lines.slice(6).some((l) => /^\[m\d+ r\d\] con /.test(l)), "con speaks after the fork point");
    assert.match(fork.stderr, /session \S+ completed/);

    const sessions = SessionInfo.array().parse(JSON.parse(conclave(["sessions", "--json", "--db", db], dir).stdout));
    const child = sessions.find((s) => s.id !== parent.id);
    assert.deepEqual(child?.origin, { kind: "fork", sessionId: parent.id, atSeq: 4 });

    const zero = conclave(["fork", parent.id, "--at", "0", "--db", db], dir);
    assert.equal(zero.status, 2);
    assert.match(zero.stderr, /--at must be a message number \(1, 2, …\), not "0"/);
    assert.equal(conclave(["fork", "--at", "2", "--db", db], dir).status, 2, "no session id");
    const beyond = conclave(["fork", parent.id, "--at", "999", "--db", db], dir);
    assert.equal(beyond.status, 1);
    assert.match(beyond.stderr, new RegExp(`error: atSeq: session ${parent.id} has ${parent.messageCount} messages; a fork point must be one of them \\(1\\.\\.${parent.messageCount}\\), not 999`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
