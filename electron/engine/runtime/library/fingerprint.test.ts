import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprintFile } from "./fingerprint.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-fp-"));
test.after(() => rm(dir, { recursive: true, force: true }));
const MiB = 1 << 20;

test("fp1 is sha256 over the size (u64 LE), the first 4 MiB and the last 4 MiB", async () => {
  const data = Buffer.alloc(10 * MiB);
  for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) & 0xff;
  const path = join(dir, "big.bin");
  await writeFile(path, data);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(data.length));
  const expected = createHash("sha256").update(size).update(data.subarray(0, 4 * MiB)).update(data.subarray(6 * MiB)).digest("hex");
  assert.equal(await fingerprintFile(path), `fp1:${expected}`);
});

test("stable across reads and copies; changes with the head, the tail or the size", async () => {
  const data = Buffer.alloc(9 * MiB, 7);
  const a = join(dir, "a.bin");
  const b = join(dir, "b.bin");
  await writeFile(a, data);
  await writeFile(b, data);
  const fp = await fingerprintFile(a);
  assert.match(fp, /^fp1:[0-9a-f]{64}$/);
  assert.equal(await fingerprintFile(a), fp);
  assert.equal(await fingerprintFile(b), fp, "the path is not part of the identity");

  const changed = async (mutate: (d: Buffer) => Buffer): Promise<string> => {
    await writeFile(b, mutate(Buffer.from(data)));
    return fingerprintFile(b);
  };
  assert.notEqual(await changed((d) => { d[100] = 8; return d; }), fp);
  assert.notEqual(await changed((d) => { d[d.length - 1] = 8; return d; }), fp);
  assert.notEqual(await changed((d) => d.subarray(0, d.length - 1)), fp);
  // By design the middle of a big file is not hashed: that is what makes it cheap for multi-GB models.
  assert.equal(await changed((d) => { d[4 * MiB + 10] = 8; return d; }), fp);
});

test("small files are hashed whole (head and tail overlap)", async () => {
  const path = join(dir, "small.bin");
  await writeFile(path, Buffer.from("abc"));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(3n);
  const expected = createHash("sha256").update(size).update("abc").update("abc").digest("hex");
  assert.equal(await fingerprintFile(path), `fp1:${expected}`);
  assert.equal((await readFile(path)).length, 3);
});
