/**
 * Task-set evaluations: the stored runs, the one the "Results" view shows (with its tasks and
 * results), starting or continuing one from the experiment editor, and stopping one. Progress comes
 * in as `evaluation` events; the shown run is reloaded when one of its tasks finishes.
 */
import { create } from "zustand";
import type { EvaluationRun, EvaluationSummary } from "../../../shared/evaluation.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import { rpc } from "../transport/rpcClient";

interface EvaluationsStore {
  runs: EvaluationSummary[];
  selectedId: string | null;
  run: EvaluationRun | null;
  error: string | null;
  refresh(): Promise<void>;
  select(runId: string | null): Promise<void>;
  /** Starts (or continues) an evaluation of `experiment` and shows it. */
  start(experiment: ExperimentInput): Promise<EvaluationSummary>;
  abort(runId: string): Promise<void>;
  /** A progress event from the host. */
  apply(summary: EvaluationSummary): void;
}

const upsert = (runs: EvaluationSummary[], s: EvaluationSummary): EvaluationSummary[] =>
  [s, ...runs.filter((r) => r.id !== s.id)].sort((a, b) => b.createdAt - a.createdAt);

export const useEvaluations = create<EvaluationsStore>()((set, get) => ({
  runs: [],
  selectedId: null,
  run: null,
  error: null,
  async refresh() {
    try {
      const runs = await rpc().call("evaluations.list", {});
      set({ runs, error: null });
      const selected = get().selectedId ?? runs[0]?.id ?? null;
      if (selected) await get().select(selected);
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  async select(runId) {
    set({ selectedId: runId, ...(runId === null ? { run: null } : {}) });
    if (runId === null) return;
    try {
      const run = await rpc().call("evaluations.get", { runId });
      if (get().selectedId === runId) set({ run, error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  async start(experiment) {
    const summary = await rpc().call("evaluations.run", { experiment });
    set((s) => ({ runs: upsert(s.runs, summary) }));
    await get().select(summary.id);
    return summary;
  },
  async abort(runId) {
    get().apply(await rpc().call("evaluations.abort", { runId }));
  },
  apply(summary) {
    const before = get().runs.find((r) => r.id === summary.id);
    set((s) => ({ runs: upsert(s.runs, summary) }));
    if (summary.id !== get().selectedId) return;
    const moved = !before || before.done !== summary.done || before.failed !== summary.failed || before.status !== summary.status;
    const run = get().run;
    if (moved || !run) void get().select(summary.id);
    else set({ run: { ...run, ...summary, tasks: run.tasks.map((t) => ({ ...t, phase: summary.current?.taskId === t.id ? summary.current.phase : null, ...(summary.current?.taskId === t.id ? { status: "running" as const, sessionId: summary.current.sessionId ?? t.sessionId } : {}) })) } });
  },
}));
