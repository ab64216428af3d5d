/**
 * `npm run bench`: every figure beside the baseline it was measured against in this same run,
 * printed as a table and written to bench/results.json. Targets are aims, not test assertions:
 * these machines are noisy, so a miss is reported, not failed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { benchEngine } from "./engine.js";
import { benchAppendP99Ms, benchBusBookkeepingMs, benchExport10kMs } from "./store.js";
import { benchEngineOverhead } from "./engineOverhead.js";
import { benchExport10kRatio, benchLeaderboard100kMs } from "./evaluation.js";
import { benchResidency } from "./residency.js";
import { benchRotationPeak } from "./memory.js";
import { benchScale7b } from "./scale7b.js";
import { benchSearchP99Ms } from "./search.js";
import { benchLibraryHitSpeedup } from "./library.js";
import { benchFormat } from "./format.js";
import { benchThroughput } from "./throughput.js";
import { benchEvalConcurrency } from "./evalConcurrency.js";

interface Row {
  key: string;
  value: number;
  aim: string;
  met: boolean;
  detail: string;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--scale 7b` runs the opt-in 7B bench alone; it is never part of the default run.
  const scaleAt = args.indexOf("--scale");
  const scale = scaleAt >= 0 ? args[scaleAt + 1] : undefined;
  if (scaleAt >= 0 && scale !== "7b") throw new Error(`--scale takes 7b, got ${scale === undefined ? "nothing" : `"${scale}"`}`);
  const only = scale ? ["--scale"] : args;
  const want = (group: string) => only.length === 0 || only.includes(group);
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};

  if (scale === "7b") {
    const s = await benchScale7b(log);
    extra.scale7b = s;
    const mb = (b: number) => fmt(b / 1e6);
    rows.push(
      { key: "scale7bPeakOverBudget", value: s.peakOverBudget, aim: "<= 1.0", met: s.peakOverBudget <= 1, detail: `peak ${mb(s.peakBytes)} MB (${s.measure}) of every engine-started process vs ${mb(s.budgetBytes)} MB; mapped-file pages beside it ${mb(s.peakFileBytes)} MB; one 7B process ${mb(s.perModelBytes)} MB over a ${mb(s.processBaselineBytes)} MB baseline` },
      { key: "scale7bMsPerTurn", value: s.msPerTurn, aim: "report", met: true, detail: `${s.turns} turns, ${s.tokens} tokens, ${fmt(s.wallMs / 1000)} s in all (loads included)` },
      ...s.rotations.map((r, i) => ({
        key: `scale7bRotation${i + 1}LoadRatio`,
        value: r.loadMs / r.rawLoadMs,
        aim: "report",
        met: true,
        detail: `'${r.role}': load ${fmt(r.loadMs)} ms vs raw node-llama-cpp ${fmt(r.rawLoadMs)} ms; visible wait ${r.visibleWaitMs === null ? "n/a" : `${fmt(r.visibleWaitMs)} ms`}`,
      })),
    );
  }

  if (want("engine")) {
    const e = await benchEngine(log);
    extra.engine = e;
    rows.push(
      { key: "swapGapRatio", value: e.swapGapRatio, aim: "<= 1.15", met: e.swapGapRatio <= 1.15, detail: `ours ${fmt(e.swapOursMs)} ms vs raw node-llama-cpp ${fmt(e.swapRawMs)} ms` },
      { key: "rssGrowthMbPerSwap", value: e.rssGrowthMbPerSwap, aim: "<= 2", met: e.rssGrowthMbPerSwap <= 2, detail: `whole app incl. model processes, 50 swaps; one shared process instead keeps ${fmt(e.singleProcessRssGrowthMbPerSwap)} MB per swap (100M models)` },
      { key: "memoryEstimateErrorPct", value: e.memoryEstimateErrorPct, aim: "<= 15", met: e.memoryEstimateErrorPct <= 15, detail: e.memoryEstimates.map((m) => `${m.model}: est ${fmt(m.estimateMb)} MB, measured ${fmt(m.measuredMb)} MB`).join("; ") },
      { key: "parallelSpeedup4", value: e.parallelSpeedup4, aim: ">= 1.25", met: e.parallelSpeedup4 >= 1.25, detail: `${fmt(e.parallelTps)} tok/s with 4 sequences vs ${fmt(e.sequentialTps)} tok/s one after another` },
      { key: "swapBackRatio", value: e.swapBackRatio, aim: "<= 0.1", met: e.swapBackRatio <= 0.1, detail: `swap back with saved state ${fmt(e.swapBackMs)} ms vs cold ${fmt(e.coldSwapMs)} ms` },
    );
  }
  if (want("throughput")) {
    const t = await benchThroughput(log);
    extra.throughput = t;
    rows.push(
      { key: "batchedServeRatio", value: t.batchedServeRatio, aim: ">= 0.9", met: t.batchedServeRatio >= 0.9, detail: `8 concurrent chat requests through the compatible API ${fmt(t.batchedServeTps)} tok/s vs raw node-llama-cpp 8 sequences in one context ${fmt(t.rawServeTps)} tok/s; ${fmt(t.batchedServeSpeedup)}× the ${fmt(t.oneAtATimeTps)} tok/s of one at a time (100M model, load average ${fmt(t.loadAverage)})` },
      { key: "parallelVsRaw", value: t.parallelVsRaw, aim: ">= 0.95", met: t.parallelVsRaw >= 0.95, detail: `sampleParallel, 4 sequences ${fmt(t.oursParallelTps)} tok/s vs raw node-llama-cpp 4 sequences in one context ${fmt(t.rawParallelTps)} tok/s (100M model)` },
    );
  }
  if (want("evalConcurrency")) {
    const c = await benchEvalConcurrency(log);
    extra.evalConcurrency = c;
    rows.push({
      key: "evalConcurrencyRatio",
      value: c.ratio,
      aim: "report",
      met: true,
      detail: `${c.tasks}-task evaluation at concurrency 4 ${fmt(c.concurrentMs)} ms vs concurrency 1 ${fmt(c.serialMs)} ms; bounded by the ${os.cpus().length} cores the model processes already keep busy decoding (load average ${fmt(c.loadAverage)})`,
    });
  }
  if (want("residency")) {
    const r = await benchResidency(log);
    extra.residency = r;
    rows.push(
      { key: "visibleSwapGapRatio", value: r.visibleSwapGapRatio, aim: "<= 0.1", met: r.visibleSwapGapRatio <= 0.1, detail: `staged swap: first token after ${fmt(r.prefetchedWaitMs)} ms vs ${fmt(r.coldWaitMs)} ms cold (100M models, ~1,000-token history)` },
      { key: "rotationOverheadRatio", value: r.rotationOverheadRatio, aim: "<= 1.3", met: r.rotationOverheadRatio <= 1.3, detail: `4-model roundtable, budget for 2: ${fmt(r.rotationMs)} ms with ${r.rotations} rotations vs ${fmt(r.residentMs)} ms all resident (${r.rotationTokens} vs ${r.residentTokens} tokens); turns alone ${fmt(r.rotationTurnsMs)} vs ${fmt(r.residentTurnsMs)} ms (${(r.rotationTurnsMs / r.residentTurnsMs).toFixed(2)}×)` },
    );
  }
  if (want("memory")) {
    const m = await benchRotationPeak(log);
    extra.memory = m;
    rows.push({
      key: "rotationPeakOverBudget",
      value: m.rotationPeakOverBudget,
      aim: "<= 1.0",
      met: m.rotationPeakOverBudget <= 1,
      detail: `4 small models, ${m.rotations} rotations: peak ${fmt(m.peakBytes / 1e6)} MB (${m.measure}) of every process the engine started vs a ${fmt(m.budgetBytes / 1e6)} MB budget; mapped-file pages beside it ${fmt(m.peakFileBytes / 1e6)} MB; the budget counted ${fmt(m.peakCountedBytes / 1e6)} MB at most; tsx esbuild services beside it ${fmt(m.peakLoaderBytes / 1e6)} MB; at the peak ${m.peakProcessesBytes.length} processes (${m.peakProcessesBytes.map((b) => fmt(b / 1e6)).join(", ")} MB)`,
    });
  }
  if (want("bus")) {
    const o = await benchEngineOverhead();
    extra.engineOverhead = o;
    rows.push({ key: "engineOverheadRatio", value: o.ratio, aim: ">= 0.97", met: o.ratio >= 0.97, detail: `committee ${fmt(o.committeeTps)} tok/s vs raw ${fmt(o.rawTps)} tok/s` });
  }
  if (want("store")) {
    const a = await benchAppendP99Ms();
    const x = await benchExport10kMs();
    const v = await benchBusBookkeepingMs();
    extra.store = { append: a, export: x, busBookkeeping: v };
    rows.push(
      { key: "appendP99Ms", value: a.ms, aim: "<= 1", met: a.ms <= 1, detail: `raw better-sqlite3 insert p99 ${fmt(a.baselineMs)} ms` },
      { key: "export10kMs", value: x.ms, aim: "<= 1000", met: x.ms <= 1000, detail: `JSON.stringify + write of the same rows ${fmt(x.baselineMs)} ms` },
      { key: "busBookkeeping600Ms", value: v.ms, aim: "<= 2000", met: v.ms <= 2000, detail: `the same sends without views ${fmt(v.baselineMs)} ms (${fmt(v.ms / v.baselineMs)}×)` },
    );
  }

  if (want("search")) {
    const s = await benchSearchP99Ms();
    extra.search = s;
    rows.push({
      key: "searchP99Ms",
      value: s.ms,
      aim: "<= 20",
      met: s.ms <= 20,
      detail: `${s.messages} messages, median ${fmt(s.medianMs)} ms (CPU time p99 ${fmt(s.cpuP99Ms)} ms); plain LIKE scan p99 ${fmt(s.likeP99Ms)} ms (median ${fmt(s.likeMedianMs)}), one indexed lookup p99 ${fmt(s.lookupP99Ms)} ms; stop words alone p99 ${fmt(s.byKind["stop word"]?.p99Ms ?? NaN)} ms; append p99 ${fmt(s.appendP99Ms)} ms with the index, ${fmt(s.appendWithoutIndexP99Ms)} ms without; load average ${fmt(s.loadAverage)}`,
    });
  }
  if (want("evaluation")) {
    const l = await benchLeaderboard100kMs();
    const x = await benchExport10kRatio();
    extra.evaluation = { leaderboard: l, export: x };
    rows.push(
      { key: "leaderboard100kMs", value: l.ms, aim: "<= 1000", met: l.ms <= 1000, detail: `Bradley–Terry + ${l.resamples} bootstrap resamples over ${l.outcomes} outcomes among ${l.models} models` },
      { key: "export10kRatio", value: x.ratio, aim: "<= 1.5", met: x.ratio <= 1.5, detail: `OpenAI export with provenance sidecar ${fmt(x.ms)} ms (${fmt(x.bytes / 1e6)} MB) vs JSON.stringify + write of the same rows ${fmt(x.baselineMs)} ms` },
    );
  }
  if (want("library")) {
    const l = await benchLibraryHitSpeedup(log);
    extra.library = l;
    rows.push({
      key: "libraryHitSpeedup",
      value: l.ratio,
      aim: "report",
      met: true,
      detail: `a repeated task answered via the library (reuse: one confirmation) ${fmt(l.reuseMs)} ms vs generated afresh (roundtable of 2, 1 round, vote, synthesis) ${fmt(l.freshMs)} ms; medians over ${l.tasks} tasks, ${l.reused} reused; stories260K`,
    });
  }

  if (want("format")) {
    const f = await benchFormat(log);
    extra.format = f;
    const d = (name: string) => f.designs.find((x) => x.format === name)!;
    const line = (x: ReturnType<typeof d>) => `${x.empty}/${x.messages} empty, ${fmt(x.meanContentChars)} chars a message, ${fmt(x.repairedShare * 100)}% repaired, ${fmt(x.ms)} ms`;
    rows.push({
      key: "emptyContentShare",
      value: f.emptyContentShare,
      aim: "0",
      met: f.emptyContentShare === 0,
      detail: `content-first (kept): ${line(d("content-first"))}; json-grammar with a reserved budget: ${line(d("json-grammar"))}; roundtable at maxTokens 32, stories + tiny-chat`,
    });
  }

  const width = Math.max(...rows.map((r) => r.key.length));
  console.log(`\n${"figure".padEnd(width)}  ${"value".padStart(9)}  ${"aim".padEnd(8)}  met  baseline / detail`);
  for (const r of rows) console.log(`${r.key.padEnd(width)}  ${fmt(r.value).padStart(9)}  ${r.aim.padEnd(8)}  ${r.met ? "yes" : "NO "}  ${r.detail}`);

  const out = fileURLToPath(new URL("./results.json", import.meta.url));
  // A partial run (`npm run bench -- bus`) updates its own figures and keeps the others.
  const previous = only.length > 0 && existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {};
  const results = {
    ...previous,
    ...Object.fromEntries(rows.map((r) => [r.key, r.value])),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", totalMemGiB: os.totalmem() / 1024 ** 3, node: process.version, platform: `${process.platform}-${process.arch}` },
    measuredAt: new Date().toISOString(),
    details: { ...(previous.details as Record<string, unknown> | undefined), ...extra },
  };
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
