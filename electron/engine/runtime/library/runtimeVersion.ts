/**
 * The inference runtime this build generates with, `node-llama-cpp@<version>`, read once from the
 * installed package so provenance names the version that actually ran.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let cached: string | null = null;

export function localRuntime(): string {
  if (cached) return cached;
  let version = "unknown";
  try {
    const require = createRequire(import.meta.url);
    // The package's exports hide package.json; walk up from its entry point instead.
    let dir = dirname(require.resolve("node-llama-cpp"));
    for (let i = 0; i < 5; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === "node-llama-cpp" && pkg.version) {
          version = pkg.version;
          break;
        }
      } catch {
        // not here; look one folder up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed: leave it unknown
  }
  return (cached = `node-llama-cpp@${version}`);
}
