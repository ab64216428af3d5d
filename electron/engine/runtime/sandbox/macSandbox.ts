/**
 * macOS: `sandbox-exec` with an SBPL profile that denies the network (unless asked for) and every
 * file write outside the workspace and the null devices. Resource limits come from the shell's
 * `ulimit` before the command is exec'd; memory and processes are also watched from outside.
 * Kept apart from the Linux wrapper because it cannot be exercised on the Linux machines.
 */

/** SBPL string literal: backslashes and quotes escaped. */
function sbplString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The profile for one run. */
export function macProfile(workspace: string, network: boolean): string {
  return [
    "(version 1)",
    "(allow default)",
    ...(network ? [] : ["(deny network*)"]),
    "(deny file-write*)",
    `(allow file-write* (subpath ${sbplString(workspace)}) (literal "/dev/null") (literal "/dev/zero") (literal "/dev/tty"))`,
  ].join("\n");
}

/** argv that runs `argv` under sandbox-exec with the file-size and process ulimits. */
export function macSandboxArgv(sandboxExec: string, workspace: string, network: boolean, argv: readonly string[], limits: { maxProcesses: number; fileSizeKb: number }): string[] {
  const script = `ulimit -u ${limits.maxProcesses + 64} 2>/dev/null; ulimit -f ${limits.fileSizeKb}; ulimit -c 0; exec "$@"`;
  return [sandboxExec, "-p", macProfile(workspace, network), "/bin/sh", "-c", script, "sh", ...argv];
}
