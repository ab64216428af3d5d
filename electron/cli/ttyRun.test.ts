/**
 * `conclave run` on a terminal (a real pseudo-terminal from util-linux `script`): each human turn is
 * asked at a `you>` prompt and the typed line becomes the seat's message.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { realTestModel } from "../../models/test/testModels.js";
import { openStore } from "../engine/data/store/sessionStore.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));
const hasScript = spawnSync("script", ["--version"]).status === 0;

test("on a TTY, conclave run prompts for the human seat's turns", { skip: hasScript ? false : "util-linux script is not installed" }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-tty-"));
  try {
    const model = await realTestModel();
    const file = path.join(dir, "tty.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "tty",
        task: "Name a colour.",
        seed: 3,
        roles: [
          { name: "writer", model, maxTokens: 48, contextSize: 1024 },
          { name: "you", human: true },
        ],
        protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", vote: false },
      }),
    );
    const db = path.join(dir, "c.db");
    const command = [process.execPath, BIN, "run", file, "--db", db].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env: { ...process.env, CONCLAVE_HOME: dir }, stdio: ["pipe", "pipe", "pipe"] });
    const answers = ["Blue from the terminal", "I agree"];
    let out = "";
    let asked = 0;
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      // Each prompt is answered once, as a person would type it.
      const prompts = out.split("you> ").length - 1;
      while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0, out);
    assert.equal(asked, 2, "two turns were asked on the terminal");
    const store = openStore(db);
    try {
      const [session] = store.listSessions();
      assert.equal(session!.status, "completed");
      const mine = store.listMessages(session!.id, { limit: 100 }).messages.filter((m) => m.from === "you");
      assert.deepEqual(mine.map((m) => [m.content, m.provenance?.human]), [["Blue from the terminal", true], ["I agree", true]]);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
