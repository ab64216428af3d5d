#!/usr/bin/env node
// `npm start`: launch the Electron app where its binary is installed; otherwise say so plainly and
// name the loopback host. Never require("electron") here: its index downloads the binary on demand,
// which must not happen behind the user's back (and cannot on machines without that network).
import { existsSync, readFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const electronDir = join(root, "node_modules", "electron");
const pathFile = join(electronDir, "path.txt");

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const name = readFileSync(pathFile, "utf8").trim();
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name);
    return existsSync(p) ? p : null;
  }
  if (!existsSync(pathFile)) return null;
  const p = join(electronDir, "dist", readFileSync(pathFile, "utf8").trim());
  return existsSync(p) ? p : null;
}

const binary = electronBinary();
if (!binary) {
  console.log(
    [
      "Conclave: the Electron binary is not installed on this machine, so the desktop app cannot start here.",
      "",
      "Run the same UI in your browser through the loopback host instead:",
      "",
      "    npm run serve            (conclave serve [--port N] [--db FILE] [--models DIR])",
      "",
      "It prints `Conclave listening on http://127.0.0.1:<port>/?token=<token>`; open that URL.",
      "To get the desktop app, install Electron's binary (npx install-electron) on a machine that can download it.",
    ].join("\n"),
  );
  process.exit(1);
}

// The app runs from the compiled output; build it first when missing.
if (!existsSync(join(root, "dist", "electron", "shell", "main.js")) || !existsSync(join(root, "dist", "renderer", "index.html"))) {
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
