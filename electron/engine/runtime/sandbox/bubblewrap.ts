/**
 * Linux: bubblewrap. The whole system is bound read-only, `/tmp` and the user's home are empty
 * tmpfs (so no keys or other sessions are readable), the workspace alone is bound writable, and the
 * command gets its own PID, IPC and (unless asked for) network namespaces: a server on the host's
 * 127.0.0.1 is unreachable because the namespace's loopback is a different one. `prlimit` adds the
 * limits the kernel can enforce per process (file size, no core dumps, an address-space backstop).
 */
import path from "node:path";

export interface BubblewrapRequest {
  bwrap: string;
  workspace: string;
  network: boolean;
  /** Directories the command must read that the empty `/tmp` or home would hide (the project's node_modules, Node). */
  readOnly: readonly string[];
  home: string | null;
  argv: readonly string[];
  /** Address-space backstop in MiB; the memory limit itself is watched from outside. */
  addressSpaceMb: number;
  fileSizeMb: number;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The argv that runs `req.argv` confined. */
export function bubblewrapArgv(req: BubblewrapRequest): string[] {
  const args = [req.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  const hidden = ["/tmp"];
  const hideHome = req.home !== null && req.home !== "/" && !inside(req.workspace, req.home) && !inside(process.cwd(), req.home);
  if (hideHome && req.home) {
    args.push("--tmpfs", req.home);
    hidden.push(req.home);
  }
  // What the command must read comes back read-only over the empty mounts: the project's
  // node_modules and Node may themselves live under /tmp or the home (a checkout in /tmp, say).
  const program = req.argv[0];
  const wanted = [...req.readOnly, ...(program && path.isAbsolute(program) ? [path.dirname(program)] : [])];
  for (const dir of new Set(wanted)) if (hidden.some((root) => inside(dir, root)) && !inside(dir, req.workspace)) args.push("--ro-bind", dir, dir);
  args.push("--bind", req.workspace, req.workspace, "--chdir", req.workspace);
  args.push("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session");
  if (!req.network) args.push("--unshare-net");
  args.push("--setenv", "HOME", req.workspace, "--setenv", "TMPDIR", "/tmp");
  args.push("--", "prlimit", `--as=${req.addressSpaceMb * 1024 * 1024}`, `--fsize=${req.fileSizeMb * 1024 * 1024}`, "--core=0", "--", ...req.argv);
  return args;
}
