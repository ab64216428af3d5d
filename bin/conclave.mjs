#!/usr/bin/env node
// The `conclave` launcher: needs Node >= 22.14 (falls back to the project-local Node from the `node`
// npm package), registers tsx, and hands over to electron/cli/main.ts.
//
// Under an older Node it runs itself again under the project's Node as a child. The launcher then
// stays only as the child's stand-in: SIGINT, SIGTERM and SIGHUP are passed on, it exits with the
// child's code, and the child watches an IPC channel to the launcher, so even a launcher killed
// outright (SIGKILL) leaves no server, and no model processes, behind.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"];

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 14)) {
  const local = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(local) || process.env.CONCLAVE_REEXEC) {
    console.error(`conclave needs Node >= 22.14 (this is ${process.versions.node}); run npm install in the project.`);
    process.exit(1);
  }
  const child = spawn(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, CONCLAVE_REEXEC: "1" },
  });
  for (const signal of FORWARDED) {
    // A terminal's Ctrl-C reaches both processes; the child handles repeats itself.
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on("error", (error) => {
    console.error(`conclave: could not start ${local}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1)));
} else {
  if (process.env.CONCLAVE_REEXEC && process.send) {
    // The launcher is our parent: when it goes, however it goes, we end as if told to stop.
    process.channel?.unref();
    process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  }
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../electron/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
