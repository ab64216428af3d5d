/**
 * The one memory figure the engine measures a process by, per platform, used everywhere a
 * measurement appears: a model process's baseline and load growth, the budget's view of what is
 * in use, the registry's meters, `memory.report` and the benchmarks.
 *
 * - Linux: anonymous plus unevictable resident memory, from `/proc/<pid>/status`:
 *   `RssAnon + RssShmem + min(VmLck, RssFile)`. Anonymous pages are what llama.cpp allocates
 *   (repacked CPU weights, KV cache, compute buffers); shared memory and locked file pages cannot be
 *   reclaimed either. The rest of `RssFile` — the mmapped model file's pages — the kernel can drop
 *   under pressure and re-read; it is reported separately (`fileBytes`), never summed in.
 *   Whole-process RSS adds those pages, so on a CPU backend that repacks weights it counts the
 *   weights twice.
 * - macOS: the process's physical footprint (`phys_footprint`, what Activity Monitor's "Memory"
 *   column shows, Metal-wired memory included), read from `vmmap --summary <pid>`, which needs no
 *   entitlement for a process of the same user. Should vmmap fail, RSS (`ps -o rss=`) stands in
 *   and the figure says so (`measure: "rss"`).
 * - Elsewhere: RSS.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import type { MemoryMeasure } from "../../../../shared/slots.js";

const run = promisify(execFile);

/** One process's memory in the platform's measure. */
export interface MeasuredMemory {
  /** The figure the budget is held to (see the module note). */
  measuredBytes: number;
  /** Resident pages of mapped files (the model file under mmap), which the kernel may reclaim; 0 where unknown. */
  fileBytes: number;
  /** Which measure `measuredBytes` is. */
  measure: MemoryMeasure;
}

/** The measure this platform uses (what {@link measureProcess} returns when nothing fails). */
export function platformMeasure(platform: NodeJS.Platform = process.platform): MemoryMeasure {
  if (platform === "linux") return "linux-anon-unevictable";
  if (platform === "darwin") return "darwin-phys-footprint";
  return "rss";
}

const KB = 1024;

/**
 * The Linux figure from the text of `/proc/<pid>/status`. Fields the kernel does not report
 * (older kernels lack `RssAnon`) count as 0; a text without `VmRSS` is not a status file.
 */
export function linuxMemoryFromStatus(status: string): MeasuredMemory {
  const field = (name: string): number | null => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, "m").exec(status);
    return m ? Number(m[1]) * KB : null;
  };
  const rss = field("VmRSS");
  if (rss === null) throw new Error("not a /proc/<pid>/status text: it has no VmRSS line");
  const anon = field("RssAnon");
  const file = field("RssFile") ?? 0;
  const shmem = field("RssShmem") ?? 0;
  const locked = field("VmLck") ?? 0;
  // Without the split (kernels before 4.5) only RSS is known, and all of it is counted.
  if (anon === null) return { measuredBytes: rss, fileBytes: 0, measure: "rss" };
  return { measuredBytes: anon + shmem + Math.min(locked, file), fileBytes: Math.max(0, file - Math.min(locked, file)), measure: "linux-anon-unevictable" };
}

const UNITS: Record<string, number> = { B: 1, K: KB, M: KB ** 2, G: KB ** 3, T: KB ** 4 };

/** The physical footprint from `vmmap --summary` output ("Physical footprint:  1.2G"); null when absent. */
export function darwinFootprintFromVmmap(text: string): number | null {
  const m = /^Physical footprint:\s+([\d.]+)\s*([BKMGT])?/m.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? "B"] ?? 1));
}

async function darwinMemory(pid: number): Promise<MeasuredMemory> {
  try {
    const { stdout } = await run("vmmap", ["--summary", String(pid)], { timeout: 10_000, maxBuffer: 8 << 20 });
    const footprint = darwinFootprintFromVmmap(stdout);
    if (footprint !== null) return { measuredBytes: footprint, fileBytes: 0, measure: "darwin-phys-footprint" };
  } catch {
    // Fall through to RSS, which the figure's `measure` then names.
  }
  return rssOf(pid);
}

async function rssOf(pid: number): Promise<MeasuredMemory> {
  if (pid === process.pid) return { measuredBytes: process.memoryUsage.rss(), fileBytes: 0, measure: "rss" };
  const { stdout } = await run("ps", ["-o", "rss=", "-p", String(pid)], { timeout: 10_000 });
  const kb = Number(stdout.trim());
  if (!Number.isFinite(kb)) throw new Error(`ps gave no RSS for process ${pid}`);
  return { measuredBytes: kb * KB, fileBytes: 0, measure: "rss" };
}

/**
 * Measures process `pid` (default: this one) in the platform's measure. On Linux this is one read
 * of a proc file, cheap enough for every reply and every sample; it throws when the process is gone.
 */
export async function measureProcess(pid: number = process.pid): Promise<MeasuredMemory> {
  if (process.platform === "linux") return linuxMemoryFromStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (process.platform === "darwin") return darwinMemory(pid);
  return rssOf(pid);
}
