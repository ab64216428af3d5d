#!/usr/bin/env node
// Makes sure bubblewrap (the sandbox of command checks on Linux) is there for the unit tests.
// Installs Debian's `bubblewrap` package when missing and we are root; otherwise explains. Not
// needed (and not checked) on macOS, whose sandbox-exec ships with the system.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

if (process.platform !== "linux") process.exit(0);
const BWRAP = process.env.CONCLAVE_BWRAP ?? "/usr/bin/bwrap";
if (existsSync(BWRAP)) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot) {
  console.error(`tests: no bubblewrap at ${BWRAP}. Install Debian's package (sudo apt-get install -y bubblewrap) or set CONCLAVE_BWRAP to a bwrap binary.`);
  process.exit(1);
}
console.log("tests: bubblewrap missing; installing Debian's bubblewrap package…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", "bubblewrap"]]) {
  const r = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`tests: apt-get ${args.join(" ")} failed (exit ${r.status}).`);
    process.exit(1);
  }
}
if (!existsSync(BWRAP)) {
  console.error(`tests: bubblewrap installed but ${BWRAP} is still missing.`);
  process.exit(1);
}
