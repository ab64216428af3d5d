import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EnvSecretStore, FileSecretStore, envKeyName, headlessSecrets } from "./SecretStore.js";
import { redact } from "./redact.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-keys-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("secret stores", () => {
  test("environment variable per backend name", async () => {
    assert.equal(envKeyName("open-router.eu"), "CONCLAVE_OPEN_ROUTER_EU_API_KEY");
    const s = new EnvSecretStore({ CONCLAVE_CLOUD_API_KEY: "k-123456789" });
    assert.equal(await s.get("cloud"), "k-123456789");
    assert.equal(await s.get("other"), null);
  });

  test("keys file: read when 0600, refused when others can read it, written 0600", async () => {
    const file = path.join(tmp, "keys.json");
    writeFileSync(file, JSON.stringify({ cloud: "file-key-abcdef" }), { mode: 0o644 });
    await assert.rejects(new FileSecretStore(file).get("cloud"), /readable by others/);
    const store = new FileSecretStore(path.join(tmp, "k2.json"));
    await store.set("cloud", "file-key-abcdef");
    assert.equal(statSync(path.join(tmp, "k2.json")).mode & 0o777, 0o600);
    assert.equal(await store.get("cloud"), "file-key-abcdef");
    assert.equal(await headlessSecrets(path.join(tmp, "k2.json"), { CONCLAVE_CLOUD_API_KEY: "env-wins-123" }).get("cloud"), "env-wins-123");
  });

  test("redaction removes handed-out keys, bearer tokens and key-shaped strings", async () => {
    const key = (await new EnvSecretStore({ CONCLAVE_X_API_KEY: "plain-secret-value-42" }).get("x"))!;
    const line = `failed: ${key}; Authorization: Bearer abc.def-ghi_jkl; sk-ABCDEFGHIJKLMNOPQRST; {"api_key":"zzzzzzzzzz"}`;
    const out = redact(line);
    assert.ok(!out.includes(key) && !out.includes("abc.def-ghi_jkl") && !out.includes("sk-ABCD") && !out.includes("zzzzzzzzzz"), out);
    assert.equal(redact("nothing secret here"), "nothing secret here");
  });
});
