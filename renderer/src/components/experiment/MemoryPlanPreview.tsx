/**
 * The memory plan of the experiment being edited, before it starts: which seats can be resident
 * together within the budget, which loads (rotations, scheduled swaps) the engine predicts and what
 * they should cost. Asked of the engine once the experiment validates, a moment after the last edit.
 */
import { useEffect, useState } from "react";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ResidencyPlan } from "../../../../shared/residency.js";
import { rpc } from "../../transport/rpcClient";
import { PlanSection } from "../ResidencyPlanView";

export function MemoryPlanPreview({ experiment }: { experiment: Experiment | null }) {
  const [plan, setPlan] = useState<ResidencyPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = experiment ? JSON.stringify(experiment) : null;
  useEffect(() => {
    if (!key) return;
    let current = true;
    const timer = setTimeout(() => {
      rpc()
        .call("sessions.preview", { experiment: JSON.parse(key) as Experiment })
        .then((p) => current && (setPlan(p), setError(null)))
        .catch((e: unknown) => current && (setPlan(null), setError(e instanceof Error ? e.message : String(e))));
    }, 600);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);
  if (!experiment) return <p className="muted small">The memory plan appears once the experiment is valid.</p>;
  return <PlanSection label="Memory plan" plan={plan} error={error} />;
}
