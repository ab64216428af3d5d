/**
 * `conclave serve` straight after `npm install`: the host serves the built renderer (dist/renderer),
 * which a fresh clone does not have, and which goes stale after a pull. So serve builds it first
 * when it is missing or older than any renderer source. Building here rather than at install keeps
 * installs quick and also catches a checkout that changed after the build. An installed package
 * ships dist/renderer without the sources and is never rebuilt.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Newest modification time under `dir` (recursively), or 0 when it does not exist. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the renderer needs a build, or null when dist/renderer is current (or there are no sources). */
export function rendererBuildReason(root = ROOT): string | null {
  const sources = [path.join(root, "renderer"), path.join(root, "shared"), path.join(root, "vite.config.ts")];
  if (!existsSync(path.join(root, "renderer", "index.html"))) return null;
  const index = path.join(root, "dist", "renderer", "index.html");
  if (!existsSync(index)) return "the renderer is not built yet";
  const built = statSync(index).mtimeMs;
  const newest = Math.max(...sources.map((s) => (existsSync(s) && statSync(s).isFile() ? statSync(s).mtimeMs : newestMtime(s))));
  return newest > built ? "the renderer sources changed since the last build" : null;
}

/**
 * Runs `vite build` when {@link rendererBuildReason} says so; progress goes to stderr. A failed build
 * is reported and serving goes on: the API works, and the page names the problem.
 */
export function ensureRendererBuilt(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`), root = ROOT): void {
  const reason = rendererBuildReason(root);
  if (!reason) return;
  log(`conclave: building the renderer (${reason}); this takes a minute once…`);
  const vite = path.join(root, "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: root, stdio: ["ignore", process.stderr, process.stderr] });
  if (r.status !== 0) log(`conclave: vite build failed (exit ${r.status ?? r.signal}); run \`npm run build\` to see why`);
}
