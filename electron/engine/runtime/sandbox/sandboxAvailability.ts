/**
 * Which sandbox this machine offers: bubblewrap on Linux (probed by running `true` in it once, as a
 * kernel without user namespaces or a container without privileges makes `bwrap` fail at start),
 * `sandbox-exec` on macOS, otherwise none, with the reason a refused check reports.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

export type SandboxAvailability = { kind: "bubblewrap"; path: string } | { kind: "sandbox-exec"; path: string } | { kind: "none"; reason: string };

const BWRAP_PATHS = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

let cached: SandboxAvailability | null = null;

function probe(): SandboxAvailability {
  if (process.platform === "darwin") {
    return existsSync("/usr/bin/sandbox-exec") ? { kind: "sandbox-exec", path: "/usr/bin/sandbox-exec" } : { kind: "none", reason: "macOS without /usr/bin/sandbox-exec" };
  }
  if (process.platform !== "linux") return { kind: "none", reason: `no sandbox is supported on ${process.platform}` };
  const bwrap = process.env.CONCLAVE_BWRAP ?? BWRAP_PATHS.find((p) => existsSync(p));
  if (!bwrap) return { kind: "none", reason: "bubblewrap is not installed (Debian/Ubuntu: apt-get install -y bubblewrap)" };
  const r = spawnSync(bwrap, ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "--unshare-net", "--die-with-parent", "true"], { encoding: "utf8", timeout: 20_000 });
  if (r.status !== 0) return { kind: "none", reason: `bubblewrap cannot start here (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})` };
  if (!existsSync("/usr/bin/prlimit") && !existsSync("/bin/prlimit")) return { kind: "none", reason: "prlimit (util-linux) is missing" };
  return { kind: "bubblewrap", path: bwrap };
}

/** The sandbox of this machine (probed once per process). */
export function sandboxAvailability(): SandboxAvailability {
  cached ??= probe();
  return cached;
}

/** One line for Settings and refusals: which sandbox, or why there is none. */
export function describeSandbox(s: SandboxAvailability): string {
  return s.kind === "none" ? `none: ${s.reason}` : `${s.kind} (${s.path})`;
}
