import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { darwinFootprintFromVmmap, linuxMemoryFromStatus, measureProcess, platformMeasure } from "./processMemory.js";

/** A /proc/<pid>/status text with the memory lines given (kB), as the kernel writes them. */
function status(fields: Record<string, number>): string {
  const lines = ["Name:\tnode", "State:\tS (sleeping)", "Pid:\t4242"];
  for (const [k, v] of Object.entries(fields)) lines.push(`${k}:\t${String(v).padStart(8)} kB`);
  return lines.join("\n") + "\nThreads:\t7\n";
}

test("Linux: anonymous plus shared-memory plus locked file pages, with the rest of the file pages apart", () => {
  const m = linuxMemoryFromStatus(status({ VmLck: 200, VmRSS: 6010, RssAnon: 1000, RssFile: 5000, RssShmem: 10 }));
  assert.equal(m.measure, "linux-anon-unevictable");
  assert.equal(m.measuredBytes, (1000 + 10 + 200) * 1024);
  assert.equal(m.fileBytes, (5000 - 200) * 1024);
});

test("Linux: a mapped model file's pages never count, however large", () => {
  // What a 7B Q4_0 process looked like with mmap: 4.07 GB repacked, 3.8 GB of the file resident.
  const m = linuxMemoryFromStatus(status({ VmLck: 0, VmRSS: 7_870_000, RssAnon: 4_070_000, RssFile: 3_800_000, RssShmem: 0 }));
  assert.equal(m.measuredBytes, 4_070_000 * 1024);
  assert.equal(m.fileBytes, 3_800_000 * 1024);
});

test("Linux: locked pages beyond the file's count only up to the file's resident pages", () => {
  const m = linuxMemoryFromStatus(status({ VmLck: 9000, VmRSS: 3000, RssAnon: 2000, RssFile: 1000, RssShmem: 0 }));
  assert.equal(m.measuredBytes, 3000 * 1024);
  assert.equal(m.fileBytes, 0);
});

test("Linux: a kernel without the RSS split counts all of RSS and says so; a text that is not a status file is an error", () => {
  const m = linuxMemoryFromStatus(status({ VmRSS: 5000 }));
  assert.deepEqual(m, { measuredBytes: 5000 * 1024, fileBytes: 0, measure: "rss" });
  assert.throws(() => linuxMemoryFromStatus("Name:\tnode\n"), /no VmRSS line/);
});

test("macOS: the physical footprint is read from vmmap's summary in its units", () => {
  const summary = "Process:         node [4242]\nPath:            /usr/local/bin/node\n\nPhysical footprint:         1.2G\nPhysical footprint (peak):  1.5G\n";
  assert.equal(darwinFootprintFromVmmap(summary), Math.round(1.2 * 1024 ** 3));
  assert.equal(darwinFootprintFromVmmap("Physical footprint:         532.5M\n"), Math.round(532.5 * 1024 ** 2));
  assert.equal(darwinFootprintFromVmmap("Physical footprint:         812K\n"), 812 * 1024);
  assert.equal(darwinFootprintFromVmmap("vmmap: no such process\n"), null);
});

test("each platform names its measure", () => {
  assert.equal(platformMeasure("linux"), "linux-anon-unevictable");
  assert.equal(platformMeasure("darwin"), "darwin-phys-footprint");
  assert.equal(platformMeasure("win32"), "rss");
});

test("a live process is measured in this platform's measure, and a process that is gone is an error", async () => {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await once(child, "spawn");
  try {
    const m = await measureProcess(child.pid!);
    assert.equal(m.measure, platformMeasure());
    assert.ok(m.measuredBytes > 0 && m.fileBytes >= 0, JSON.stringify(m));
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  await assert.rejects(measureProcess(child.pid!));
});
