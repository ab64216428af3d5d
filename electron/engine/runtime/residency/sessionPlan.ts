/**
 * The residency plan of one committee with live numbers: each seat's cost from the engine's
 * estimate, the memory the committee may use given what else is loaded, and this machine's measured
 * speeds. Used for a running session (from its current turn, with what is resident now) and for an
 * experiment before it starts.
 */
import { modelRoles, type Experiment } from "../../../../shared/experiment.js";
import type { RemoteRole, ResidencyPlan } from "../../../../shared/residency.js";
import type { SlotRegistry } from "../slots/SlotRegistry.js";
import { costOf, planResidency, type SeatCost } from "./planResidency.js";
import type { PlannedTurn } from "./turnSequence.js";

export interface SessionPlanInput {
  registry: SlotRegistry;
  sessionId: string | null;
  experiment: Experiment;
  turns: PlannedTurn[];
  /** The model each role sits on now (a resumed or swapped seat may differ from the experiment). */
  models: Map<string, string>;
  resident: string[];
  from: number;
  defaultContextSize: number;
  /** Roles whose turns go to remote backends: their seats stay parked, so they cost nothing here. */
  remote?: RemoteRole[];
}

export async function sessionPlan(input: SessionPlanInput): Promise<ResidencyPlan> {
  const { registry, experiment } = input;
  const contextOf = (role: string) => experiment.roles.find((r) => r.name === role)?.contextSize ?? input.defaultContextSize;
  const cost = async (role: string, modelRef: string): Promise<SeatCost> => {
    const contextSize = contextOf(role);
    const { identity } = await registry.estimate(modelRef, { contextSize });
    const need = await registry.seatNeed(identity, contextSize);
    const maxTokens = experiment.roles.find((r) => r.name === role)?.maxTokens ?? 256;
    return { role, identity, weightsBytes: need.weights, contextBytes: need.context, processBytes: need.process, turnTokens: maxTokens };
  };
  const remote = new Set((input.remote ?? []).map((r) => r.role));
  const local = modelRoles(experiment).filter((r) => !remote.has(r.name));
  const seats: SeatCost[] = [];
  for (const role of local) seats.push(await cost(role.name, input.models.get(role.name) ?? role.model));
  const swapTargets = new Map<string, SeatCost>();
  const upcoming = new Set(input.turns.slice(input.from).flatMap((t) => t.swaps));
  for (const s of experiment.swaps.filter((x) => upcoming.has(x) && !remote.has(x.role))) {
    const target = await cost(s.role, s.model).catch(() => null);
    if (target) swapTargets.set(s.role, target);
  }
  const usage = registry.usage();
  const own = costOf(seats.filter((s) => input.resident.includes(s.role)));
  const others = Math.max(0, usage.inUseBytes - usage.reservedBytes - own);
  return planResidency({
    sessionId: input.sessionId,
    seats,
    turns: input.turns,
    availableBytes: usage.budgetBytes - usage.reservedBytes - others,
    budgetBytes: usage.budgetBytes,
    reservedBytes: usage.reservedBytes + others,
    resident: input.resident,
    from: input.from,
    swapTargets,
    perf: registry.perf,
    remote: input.remote ?? [],
  });
}
