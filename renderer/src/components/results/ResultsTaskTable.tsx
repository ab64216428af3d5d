/**
 * The per-task table of a run: each task's status, the committee's and the baseline's extracted
 * answers with their checks and tokens, who won the comparison, and a link to the task's session.
 */
import type { EvalResults, TaskResult } from "../../../../shared/evalResults.js";
import type { EvaluationRun } from "../../../../shared/evaluation.js";
import { useSessions } from "../../stores/sessionsStore";
import { useUi } from "../../stores/uiStore";
import { describeOutcome, type CommandCheckOutcome } from "../../../../shared/commandCheck.js";

/** A command check's evidence in one cell: the outcome, and the output on hover. */
function Evidence({ check }: { check: CommandCheckOutcome | null | undefined }) {
  if (!check) return null;
  const e = check.run ?? check.setup.at(-1);
  return (
    <span className="muted small" title={e ? `${e.stdout}${e.stderr}`.slice(0, 2000) : (check.refused ?? "")}>
      {describeOutcome(check)}
    </span>
  );
}

const mark = (c: boolean | null | undefined): string => (c === true ? "✓" : c === false ? "✗" : "—");
const answer = (a: string | null | undefined): string => (a === null || a === undefined ? "(none)" : a.length > 48 ? `${a.slice(0, 48)}…` : a);
const winner = (t: TaskResult | undefined): string => {
  const w = t?.comparison?.winner;
  return w === "a" ? "committee" : w === "b" ? "baseline" : (w ?? "—");
};

export function ResultsTaskTable({ run, results }: { run: EvaluationRun; results: EvalResults | null }) {
  const select = useSessions((s) => s.select);
  const setView = useUi((s) => s.setView);
  const byId = new Map((results?.tasks ?? []).map((t) => [t.id, t]));
  return (
    <table className="table results-table" aria-label="Tasks">
      <thead>
        <tr>
          <th scope="col">Task</th>
          <th scope="col">Status</th>
          <th scope="col">Committee answer</th>
          <th scope="col">✓</th>
          <th scope="col">Tokens</th>
          <th scope="col">Baseline answer</th>
          <th scope="col">✓</th>
          <th scope="col">Tokens</th>
          <th scope="col">Winner</th>
          <th scope="col">Session</th>
        </tr>
      </thead>
      <tbody>
        {run.tasks.map((task) => {
          const t = byId.get(task.id);
          return (
            <tr key={task.id} aria-label={`Task ${task.id}`}>
              <th scope="row">{task.id}</th>
              <td title={task.error ?? undefined}>{task.status === "running" && task.phase ? `${task.phase}…` : task.status}</td>
              <td>{t ? answer(t.committee.answer) : ""}</td>
              <td>
                {t ? mark(t.committee.correct) : ""} <Evidence check={t?.committee.check} />
              </td>
              <td>{t?.committee.tokens ?? ""}</td>
              <td>{t?.baseline ? answer(t.baseline.answer) : ""}</td>
              <td>
                {t?.baseline ? mark(t.baseline.correct) : ""} <Evidence check={t?.baseline?.check} />
              </td>
              <td>{t?.baseline?.tokens ?? ""}</td>
              <td>{t ? winner(t) : ""}</td>
              <td>
                {task.sessionId && (
                  <button
                    className="btn small"
                    onClick={() => {
                      void select(task.sessionId);
                      setView("lab");
                    }}
                  >
                    Open
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
