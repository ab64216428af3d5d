#!/usr/bin/env node
// Makes sure Debian's Chromium is there for the web e2e (Playwright's own browser downloads are not
// reachable here). Installs the `chromium` package when missing and we are root; otherwise explains.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = process.env.CONCLAVE_CHROMIUM ?? "/usr/bin/chromium";

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot) {
  console.error(`e2e: no Chromium at ${CHROMIUM}. Install Debian's package (sudo apt-get install -y chromium) or set CONCLAVE_CHROMIUM to a Chromium binary.`);
  process.exit(1);
}
console.log("e2e: Chromium missing; installing Debian's chromium package…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
  const r = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`e2e: apt-get ${args.join(" ")} failed (exit ${r.status}).`);
    process.exit(1);
  }
}
if (!existsSync(CHROMIUM)) {
  console.error(`e2e: chromium installed but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
