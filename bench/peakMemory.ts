/**
 * The peak, in the engine's one memory measure (electron/engine/runtime/worker/processMemory.ts), of every
 * process this one has started, sampled while a benchmark runs. On Linux the children are found
 * through `/proc/<pid>/task/<tid>/children` and read directly, so a process still starting (a
 * spare, the estimate inspector) counts from its first page, and the TypeScript loader's esbuild
 * services, which are not the engine's, are reported beside; elsewhere the registry's memory
 * report, which lists the pool's processes, is sampled instead.
 */
import { readFileSync, readdirSync } from "node:fs";
import { linuxMemoryFromStatus } from "../electron/engine/runtime/worker/processMemory.js";

function childPids(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ")) if (c.trim()) out.push(Number(c));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** Every descendant of `root` (not `root` itself). */
function descendants(root: number): number[] {
  const all: number[] = [];
  const queue = childPids(root);
  while (queue.length > 0) {
    const pid = queue.shift()!;
    all.push(pid);
    queue.push(...childPids(pid));
  }
  return all;
}

/**
 * Whether `pid` is the TypeScript loader's esbuild service: tsx starts one beside each process that
 * runs from source (this bench and, in development, each model process). It is not the engine's and
 * a built app has none, so it is reported beside the measure, not in it.
 */
function isLoaderService(pid: number): boolean {
  try {
    return /(^|\/)esbuild$/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "");
  } catch {
    return false;
  }
}

/** The summed measure of this process's descendants now (Linux), and each one's share. */
function descendantsNow(): { measuredBytes: number; fileBytes: number; loaderBytes: number; each: number[] } {
  let measuredBytes = 0;
  let fileBytes = 0;
  let loaderBytes = 0;
  const each: number[] = [];
  for (const pid of descendants(process.pid)) {
    try {
      const m = linuxMemoryFromStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (isLoaderService(pid)) {
        loaderBytes += m.measuredBytes;
        continue;
      }
      measuredBytes += m.measuredBytes;
      fileBytes += m.fileBytes;
      each.push(m.measuredBytes);
    } catch {
      // Gone between listing and reading.
    }
  }
  return { measuredBytes, fileBytes, loaderBytes, each };
}

export interface PeakSampler {
  /** Stops sampling and returns the peaks seen (of the measure, and of file pages beside it). */
  stop(): { peakBytes: number; peakFileBytes: number; samples: number; peakProcesses: number[]; peakLoaderBytes: number };
}

/**
 * Samples every `intervalMs` until stopped. `fallback` gives the figure where `/proc` is not there
 * (the registry's `measuredTotalBytes`).
 */
export function samplePeak(fallback: () => Promise<number>, intervalMs = 100): PeakSampler {
  let peakBytes = 0;
  let peakFileBytes = 0;
  let samples = 0;
  /** Each process's measure in the sample that set the peak (Linux), largest first. */
  let peakProcesses: number[] = [];
  /** The TypeScript loader's esbuild services at their peak (beside the measure: not the engine's). */
  let peakLoaderBytes = 0;
  const linux = process.platform === "linux";
  const tick = async () => {
    if (linux) {
      const now = descendantsNow();
      if (now.measuredBytes > peakBytes) peakProcesses = now.each.sort((a, b) => b - a);
      peakBytes = Math.max(peakBytes, now.measuredBytes);
      peakFileBytes = Math.max(peakFileBytes, now.fileBytes);
      peakLoaderBytes = Math.max(peakLoaderBytes, now.loaderBytes);
    } else {
      peakBytes = Math.max(peakBytes, await fallback().catch(() => 0));
    }
    samples++;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  void tick();
  return {
    stop() {
      clearInterval(timer);
      return { peakBytes, peakFileBytes, samples, peakProcesses, peakLoaderBytes };
    },
  };
}
