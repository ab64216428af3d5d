/**
 * `conclave run` of an experiment with `tasks`: the engine's evaluation loop (one committee session
 * per task, its check, the same-budget baseline), with progress on stderr — a live bar with ETA on a
 * TTY, plain lines otherwise — a summary on stdout, and `<out>/results.json` (default
 * `./results/<experiment file name>/`). Running it again with the same experiment and `--out`
 * continues the run: finished tasks are skipped. Ctrl-C stops it (the session in flight is aborted);
 * a second Ctrl-C exits at once.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { EvalResults } from "../../shared/evalResults.js";
import type { EvaluationRun, EvaluationSummary } from "../../shared/evaluation.js";
import type { Experiment } from "../../shared/experiment.js";
import type { Engine } from "../engine/Engine.js";
import { isGeneratedRef, resolveModelPath } from "../engine/engineTools.js";
import { EvaluationProgress, formatDuration, taskLine } from "./evaluationProgress.js";
import { onStopSignals, SIGNAL_EXIT } from "./stopSignals.js";
import { plural } from "../../shared/plural.js";

export interface EvaluationCliOptions {
  /** The experiment file (names the default output folder; relative task and model paths resolve against its folder). */
  file: string;
  out?: string;
  /** Stands in for the baseline's or judge's model file when it is absent here (as for the roles). */
  missingModel?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal (a live bar) or not (plain lines); default: what it is. */
  tty?: boolean;
}

/** `./results/<file name without extension>`. */
export function defaultEvaluationOut(file: string): string {
  return path.resolve("results", path.basename(file).replace(/\.(json|ya?ml)$/i, ""));
}

/** The baseline's and judge's own model files (not role names), resolved, with absent ones replaced by `fallback`. */
function substituteEvaluationModels(e: Experiment, file: string, fallback: string | undefined, err: (t: string) => void): Experiment {
  const roles = new Set(e.roles.map((r) => r.name));
  const fix = (ref: string | undefined, where: string): string | undefined => {
    if (ref === undefined || roles.has(ref) || isGeneratedRef(ref)) return ref;
    const resolved = resolveModelPath(ref, path.dirname(path.resolve(file)));
    if (!fallback || !path.isAbsolute(resolved) || existsSync(resolved)) return resolved;
    err(`note: ${where}: ${resolved} does not exist here; using ${fallback} instead\n`);
    return fallback;
  };
  const baseline = e.baseline ? { ...e.baseline, model: fix(e.baseline.model, "baseline") } : undefined;
  const check = e.check?.kind === "judge" ? { ...e.check, judge: fix(e.check.judge, "check.judge")! } : e.check;
  return { ...e, ...(baseline ? { baseline } : {}), ...(check ? { check } : {}) };
}

const pct = (v: number | null): string => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const signed = (v: number): string => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}`;

/** The results in a few lines. */
export function resultsSummary(r: EvalResults): string {
  const lines = [`committee: accuracy ${pct(r.committee.accuracy)} (${r.committee.correct}/${r.committee.checked} checked), ${r.tokens.committee} tokens`];
  if (r.baseline) lines.push(`baseline (${r.baselineKind}): accuracy ${pct(r.baseline.accuracy)} (${r.baseline.correct}/${r.baseline.checked} checked), ${r.tokens.baseline ?? 0} tokens`);
  if (r.delta !== null && r.ci95) lines.push(`delta ${signed(r.delta)} points, 95% CI [${signed(r.ci95[0])}, ${signed(r.ci95[1])}] (paired bootstrap)`);
  if (r.mcnemar) lines.push(`McNemar exact p = ${r.mcnemar.p.toFixed(3)} (committee alone right ${r.mcnemar.b}, baseline alone right ${r.mcnemar.c})`);
  if (r.conformity) {
    const c = r.conformity;
    lines.push(`conformity: ${c.flipsToWrong} flips to wrong, ${c.flipsToRight} to right; oracle gap in ${c.oracleGap} of ${plural(c.sessions, "session")}`);
  }
  for (const c of r.calibration) lines.push(`calibration ${c.model.name}: Brier ${c.brier.toFixed(3)}, ECE ${c.ece.toFixed(3)} (n=${c.n})`);
  return lines.join("\n");
}

/** Runs the evaluation of `experiment` on `engine`; resolves to the exit code. */
export async function runEvaluation(engine: Engine, experiment: Experiment, options: EvaluationCliOptions): Promise<number> {
  const write = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  const progress = new EvaluationProgress(options.tty ?? process.stderr.isTTY === true, err);
  const out = path.resolve(options.out ?? defaultEvaluationOut(options.file));
  const printed = new Set<string>();
  let runId: string | null = null;
  const early: EvaluationSummary[] = [];

  const printFinished = (run: EvaluationRun, live: EvaluationSummary | null): void => {
    for (const t of run.tasks) {
      if (printed.has(t.id) || (t.status !== "done" && t.status !== "failed")) continue;
      printed.add(t.id);
      const result = run.results?.tasks.find((x) => x.id === t.id);
      progress.print(t.status === "failed" ? `${t.id}: failed: ${t.error ?? "unknown error"}` : result ? taskLine(result, t.durationMs) : `${t.id}: done`, live);
    }
  };
  let shownDone = -1;
  // Summaries are shown in order: a finished task's line before the next task's progress.
  let shown: Promise<void> = Promise.resolve();
  const onSummary = (s: EvaluationSummary): void => {
    shown = shown.then(async () => {
      if (s.done + s.failed !== shownDone) {
        shownDone = s.done + s.failed;
        printFinished(await engine.evaluations.get(s.id), s);
      }
      progress.update(s);
    }).catch(() => undefined);
  };
  const off = engine.onEvent((e) => {
    if (e.type !== "evaluation") return;
    if (runId === null) early.push(e.run);
    else if (e.run.id === runId) onSummary(e.run);
  });
  const stopping = onStopSignals({
    err: (t) => progress.print(t.trim(), null),
    notice: "stopping the evaluation; run it again to continue",
    stop: () => engine.dispose(),
  });
  try {
    const e = substituteEvaluationModels(experiment, options.file, options.missingModel, err);
    const started = await engine.evaluations.run(e, { out, experimentFile: path.resolve(options.file) });
    runId = started.id;
    write(`# ${started.title}: ${plural(started.total, "task")} → ${path.join(started.outDir, "results.json")}\n`);
    const finishedBefore = started.done;
    if (finishedBefore > 0) err(`continuing evaluation ${started.id}: ${finishedBefore} of ${plural(started.total, "task")} already done, skipped\n`);
    for (const s of early.splice(0)) if (s.id === runId) onSummary(s);
    const t0 = Date.now();
    const run = await engine.evaluations.wait(started.id);
    await shown;
    progress.finish();
    printFinished(run, null);
    err(`evaluation ${run.id} ${run.status} in ${formatDuration(Date.now() - t0)}${run.error ? `: ${run.error}` : ""} (db ${(await engine.settings.get()).dbPath})\n`);
    if (stopping.signal) return SIGNAL_EXIT[stopping.signal];
    if (run.results) write(`${resultsSummary(run.results)}\nwrote ${path.join(run.outDir, "results.json")}\n`);
    return run.status === "completed" ? 0 : run.status === "aborted" ? 130 : 1;
  } finally {
    progress.finish();
    off();
    stopping.off();
  }
}
