#!/usr/bin/env node
// The `conclave` launcher: needs Node >= 22.14 (falls back to the project-local Node from the `node`
// npm package), registers tsx, and hands over to electron/cli/main.ts.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 14)) {
  const local = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(local) || process.env.CONCLAVE_REEXEC) {
    console.error(`conclave needs Node >= 22.14 (this is ${process.versions.node}); run npm install in the project.`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, CONCLAVE_REEXEC: "1" },
  });
  process.exit(r.status ?? 1);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../electron/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
