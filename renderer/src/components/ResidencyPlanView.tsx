/**
 * The residency plan of the running session: whether the committee fits at once, which seats are
 * resident together over which turns, and the loads (rotations, scheduled swaps) the engine predicts,
 * with their predicted times and whether each can be hidden behind the previous turn.
 */
import { useEffect } from "react";
import type { ResidencyPlan } from "../../../shared/residency.js";
import { formatBytes, formatMs } from "../lib/format";
import { useResidency } from "../stores/residencyStore";

/** The running session's plan, kept live. */
export function ResidencyPlanView({ sessionId }: { sessionId: string | null }) {
  const { plan, error, follow } = useResidency();
  useEffect(() => follow(sessionId), [sessionId, follow]);
  if (!sessionId) return null;
  return <PlanSection label="Residency plan" plan={plan} error={error} />;
}

/** A plan under a one-line summary (open it for the seats, phases and loads), or why there is none yet. */
export function PlanSection({ label, plan, error }: { label: string; plan: ResidencyPlan | null; error: string | null }) {
  return (
    <section className="residency" aria-label={label}>
      <details open={plan !== null && !plan.fitsAll}>
        <summary>
          {label}: {error ? "unavailable" : !plan ? "planning…" : plan.refused ? "refused" : plan.fitsAll ? "every seat fits at once" : `rotation, ${plan.loads.length} predicted loads`}
          {plan && plan.remote.length > 0 && ` · ${plan.remote.length} remote (${plan.remote.map((r) => `${r.role} → ${r.backend}`).join(", ")})`}
        </summary>
        {error && <p className="muted small">{error}</p>}
        {plan && <PlanDetails plan={plan} />}
      </details>
    </section>
  );
}

function PlanDetails({ plan }: { plan: ResidencyPlan }) {
  return (
        <>
          <p className="small">
            {plan.refused
              ? `Refused: ${plan.refused}`
              : plan.fitsAll
                ? "Every seat fits at once: no rotation."
                : `The seats do not all fit in ${formatBytes(plan.budgetBytes - plan.reservedBytes)}: they rotate.`}{" "}
            Predicted loads {formatMs(plan.predictedTotalMs)}, of which {formatMs(plan.predictedVisibleMs)} not hidden by prefetching.
          </p>
          <ul className="plan-seats">
            {plan.seats.map((s) => (
              <li key={s.role}>
                <strong>{s.role}</strong> {s.modelName} · {formatBytes(s.needBytes)}
                {s.sharesWith.length > 0 && ` · shares with ${s.sharesWith.join(", ")}`} · {s.resident ? "resident" : "parked"}
              </li>
            ))}
            {plan.remote.map((r) => (
              <li key={r.role} className="plan-remote">
                <strong>{r.role}</strong> → {r.backend} (remote: no local memory; its seat stays parked
                {r.fallback.length > 0 ? `; then ${r.fallback.join(" → ")}` : ""})
              </li>
            ))}
          </ul>
          {plan.phases.length > 0 && (
            <ol className="plan-phases" aria-label="Co-resident seats by turn">
              {plan.phases.slice(0, 8).map((p) => (
                <li key={p.fromTurn}>
                  turns {p.fromTurn + 1}–{p.toTurn + 1}: {p.resident.join(", ") || "none"}
                </li>
              ))}
            </ol>
          )}
          {plan.loads.length > 0 && (
            <table className="plan-loads">
              <caption className="sr-only">Predicted loads</caption>
              <thead>
                <tr><th>before turn</th><th>seat</th><th>kind</th><th>parks</th><th>predicted</th><th>prefetch</th></tr>
              </thead>
              <tbody>
                {plan.loads.slice(0, 12).map((l) => (
                  <tr key={`${l.beforeTurn}-${l.role}`}>
                    <td>{l.beforeTurn + 1}</td>
                    <td>{l.role}</td>
                    <td>{l.kind}</td>
                    <td>{l.parks.join(", ") || "—"}</td>
                    <td>{formatMs(l.predictedMs)}</td>
                    <td>{l.prefetchable ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted small">{plan.basis}</p>
        </>
  );
}
