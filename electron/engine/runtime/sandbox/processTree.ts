/**
 * Samples a process tree: how many processes descend from a root (itself included) and their
 * resident memory together. The sandbox's memory and process limits are enforced from outside by
 * this, because an address-space rlimit is no memory limit for a JIT runtime (Node reserves about a
 * gigabyte of address space before it runs a line) and RLIMIT_NPROC does not bind root.
 */
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

/** One sample of a process tree. */
export interface TreeSample {
  processes: number;
  rssMb: number;
}

interface ProcRow {
  pid: number;
  ppid: number;
  rssKb: number;
}

const PAGE_KB = 4;

function linuxRows(): ProcRow[] {
  const rows: ProcRow[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      rows.push({ pid: Number(name), ppid: Number(fields[1]), rssKb: Number(fields[21]) * PAGE_KB });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return rows;
}

function psRows(): ProcRow[] {
  const out = execFileSync("ps", ["-A", "-o", "pid=,ppid=,rss="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isFinite))
    .map(([pid, ppid, rssKb]) => ({ pid: pid!, ppid: ppid!, rssKb: rssKb! }));
}

/** The tree under `rootPid` now; zero processes once it has ended. */
export function sampleTree(rootPid: number): TreeSample {
  const rows = process.platform === "linux" ? linuxRows() : psRows();
  const children = new Map<number, ProcRow[]>();
  let root: ProcRow | undefined;
  for (const r of rows) {
    if (r.pid === rootPid) root = r;
    const list = children.get(r.ppid);
    if (list) list.push(r);
    else children.set(r.ppid, [r]);
  }
  if (!root) return { processes: 0, rssMb: 0 };
  let processes = 0;
  let rssKb = 0;
  const stack = [root];
  while (stack.length > 0) {
    const r = stack.pop()!;
    processes += 1;
    rssKb += r.rssKb;
    stack.push(...(children.get(r.pid) ?? []));
  }
  return { processes, rssMb: rssKb / 1024 };
}
