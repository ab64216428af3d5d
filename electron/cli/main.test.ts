import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 60_000 });
}

test("a malformed experiment exits non-zero naming the file, the field and the reason", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-"));
  try {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, JSON.stringify({ task: "x", roles: [{ name: "a b", model: "m.gguf" }], protocol: { kind: "roundtable", rounds: 0 } }));
    const r = conclave(["run", file, "--db", path.join(dir, "c.db")], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /broken\.json/);
    assert.match(r.stderr, /roles\[0\]\.name: a role name is/);
    assert.match(r.stderr, /protocol\.rounds: /);

    const s = conclave(["sessions", "--json"], dir);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout), []);
    assert.equal(conclave(["export", "--last", "--format", "xml", "--out", "x"], dir).status, 2);
    assert.equal(conclave(["frobnicate"], dir).status, 2);
    for (const out of [".", "..", "exports/..", "exports/"]) {
      const e = conclave(["export", "--last", "--format", "json", "--out", out], dir);
      assert.equal(e.status, 2, e.stderr);
      assert.match(e.stderr, /--out must name a file/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
