/**
 * "Results": task-set evaluations. Pick a run; follow it while it runs (tasks done, ETA, what the
 * current task is doing; Stop); read its results — committee against the same-budget baseline with
 * the paired interval and McNemar's p, tokens per task, calibration and conformity — the per-task
 * table, each member's contribution and pruning advice over the run's sessions, and download its
 * `results.json`.
 */
import { useEffect, useState } from "react";
import { conformitySummary } from "../../lib/resultsSeries";
import { useEvaluations } from "../../stores/evaluationsStore";
import { ResultsCharts } from "./ResultsCharts";
import { ResultsTaskTable } from "./ResultsTaskTable";
import { AdvicePanel } from "../memory/AdvicePanel";

const clock = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ResultsPanel() {
  const { runs, selectedId, run, error, refresh, select, abort } = useEvaluations();
  const [tables, setTables] = useState(false);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const results = run?.results ?? null;
  const summary = runs.find((r) => r.id === selectedId) ?? null;
  const status = summary ?? run;

  return (
    <section className="panel results-panel" aria-label="Results">
      <header className="panel-head">
        <h2>Results</h2>
        <select className="input" aria-label="Evaluation run" value={selectedId ?? ""} onChange={(e) => void select(e.target.value || null)}>
          {runs.length === 0 && <option value="">no evaluations yet</option>}
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title} · {r.status} · {r.done}/{r.total}
            </option>
          ))}
        </select>
        <span className="grow" />
        {status?.status === "running" && (
          <button className="btn small" onClick={() => void abort(status.id)}>
            Stop
          </button>
        )}
        <button className="btn small" aria-pressed={tables} onClick={() => setTables((t) => !t)}>
          {tables ? "Show charts" : "Show tables"}
        </button>
        <button className="btn small" disabled={!results} onClick={() => results && download("results.json", `${JSON.stringify(results, null, 2)}\n`)}>
          Download results.json
        </button>
      </header>
      <div className="results-body">
        {error && <p className="error-text">{error}</p>}
        {runs.length === 0 && (
          <p className="muted pad">
            No evaluations yet. In the experiment editor, add a task set under “Tasks & evaluation” and press “Run evaluation” — or run an experiment with
            <code> tasks</code> with <code>conclave run</code>.
          </p>
        )}
        {status && (
          <div className="results-progress" role="status" aria-label="Evaluation progress">
            <progress max={Math.max(1, status.total)} value={status.done + status.failed} aria-label="Tasks finished" />
            <span>
              {status.done} of {status.total} tasks done{status.failed > 0 ? `, ${status.failed} failed` : ""} · {status.status}
              {status.etaMs !== null ? ` · ETA ${clock(status.etaMs)}` : ""}
              {status.inFlight.length > 1
                ? ` · ${status.inFlight.length} in flight: ${status.inFlight.map((f) => `${f.taskId} ${f.phase}`).join(", ")}`
                : status.current
                  ? ` · ${status.current.taskId}: ${status.current.phase}`
                  : ""}
            </span>
            <span className="muted small" title={status.outDir}>
              results.json in {status.outDir}
            </span>
            {status.error && <span className="error-text small">{status.error}</span>}
          </div>
        )}
        {results && (
          <>
            <ResultsCharts results={results} tables={tables} />
            {results.passAtK && (
              <p className="small" role="note" aria-label="pass@k">
                <strong>pass@1:</strong> committee {pct(results.committee.accuracy)}, baseline {pct(results.baseline?.accuracy ?? null)} ·{" "}
                <strong>baseline pass@k:</strong> {Object.entries(results.passAtK).map(([k, v]) => `@${k} ${pct(v)}`).join(", ")}
              </p>
            )}
            <p className="small" role="note" aria-label="Conformity">
              <strong>Conformity:</strong> {conformitySummary(results)}
            </p>
          </>
        )}
        {run && <ResultsTaskTable run={run} results={results} />}
        {run && run.tasks.some((t) => t.sessionId) && <AdvicePanel runId={run.id} />}
      </div>
    </section>
  );
}

const pct = (v: number | null): string => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
