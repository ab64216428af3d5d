import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { rendererBuildReason } from "./rendererBuild.js";

test("serve builds the renderer when it is missing or older than its sources, and only then", async () => {
  const root = await mkdtemp(path.join(tmpdir(), "conclave-build-"));
  try {
    assert.equal(rendererBuildReason(root), null, "no sources (an installed package): nothing to build");
    await mkdir(path.join(root, "renderer", "src"), { recursive: true });
    await writeFile(path.join(root, "renderer", "index.html"), "<!doctype html>");
    await writeFile(path.join(root, "renderer", "src", "App.tsx"), "export {}");
    assert.match(rendererBuildReason(root) ?? "", /not built/);

    const built = path.join(root, "dist", "renderer", "index.html");
    await mkdir(path.dirname(built), { recursive: true });
    await writeFile(built, "<!doctype html>");
    const past = new Date(Date.now() - 60_000);
    for (const p of [path.join(root, "renderer", "index.html"), path.join(root, "renderer", "src", "App.tsx"), path.join(root, "renderer", "src"), path.join(root, "renderer")]) await utimes(p, past, past);
    assert.equal(rendererBuildReason(root), null, "a build newer than every source is current");

    await writeFile(path.join(root, "renderer", "src", "App.tsx"), "export const changed = 1;");
    assert.match(rendererBuildReason(root) ?? "", /changed since the last build/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
