/**
 * What `conclave run` leaves of a code session: the result's artifacts under `<out>/artifacts/`
 * (the committee's output), every check's evidence in `<out>/checks.json`, and the last check in
 * words on stdout.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describeOutcome } from "../../shared/commandCheck.js";
import type { SessionCodeReport } from "../../shared/sessionCode.js";

/** Writes the report's artifacts and checks under `out`; prints where and how the last check went. */
export async function writeCodeOutput(report: SessionCodeReport, out: string, write: (t: string) => void, err: (t: string) => void): Promise<void> {
  const files = report.result?.files ?? [];
  if (files.length === 0 && report.checks.length === 0) return;
  const root = path.resolve(out, "artifacts");
  for (const f of files) {
    const target = path.resolve(root, f.path);
    // Artifact paths are checked when parsed; this guards the write itself as well.
    if (!target.startsWith(root + path.sep)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  if (files.length > 0) err(`wrote ${files.length} artifact(s) to ${root}: ${files.map((f) => f.path).join(", ")}\n`);
  else err("the result message holds no artifacts\n");
  if (report.checks.length > 0) {
    await writeFile(path.join(out, "checks.json"), JSON.stringify(report.checks, null, 2) + "\n");
    const last = report.checks.at(-1)!.outcome;
    write(`check: ${describeOutcome(last)}\n`);
    const e = last.run ?? last.setup.at(-1);
    if (e) write(`  exit ${e.exitCode ?? e.signal}, ${e.durationMs} ms, sandbox ${e.sandbox}${e.killedBy ? `, killed by the ${e.killedBy} limit` : ""}, peak ${e.peakMemoryMb} MiB\n`);
    err(`wrote ${path.join(out, "checks.json")}\n`);
  }
}
