/**
 * Who speaks when: a protocol plan flattened into the sequence of turns it will most likely take.
 * A turn is one speaker, or a group that speaks at once (a concurrent step). Rounds run in full,
 * a validation loop passes on its first attempt and the router's decision is the one its rules and
 * complexity bands give; the state role speaks at the start of every round, and scheduled swaps are
 * attached to the first turn of their round. Sessions can leave this path (an early stop, a failed
 * check), so the runner re-synchronises with the sequence as turns actually happen; the sequence
 * only guides residency and prefetching, it never decides who speaks.
 */
import { modelRoles, type Experiment, type ScheduledSwap } from "../../../../shared/experiment.js";
import { ROUTED, type ProtocolPlan, type Step, type When } from "../../conversation/protocols/plan.js";
import { routeTask } from "../../conversation/protocols/router.js";

export interface PlannedTurn {
  speakers: string[];
  round: number;
  /** Swaps the experiment schedules before this turn (the first turn of their round). */
  swaps: ScheduledSwap[];
  /** What kind of turn: a protocol phase, a vote, or the state stage. */
  phase: string;
}

/** The predicted turn sequence of an experiment under its plan. */
export function predictTurns(experiment: Experiment, plan: ProtocolPlan): PlannedTurn[] {
  // A human seat takes no memory: its turns are not part of the residency sequence.
  const roles = new Set(modelRoles(experiment).map((r) => r.name));
  const turns: PlannedTurn[] = [];
  let round = 0;
  let pendingSwaps: ScheduledSwap[] = [];
  const push = (speakers: string[], phase: string) => {
    const known = speakers.filter((s) => roles.has(s));
    if (known.length === 0) return;
    turns.push({ speakers: known, round, swaps: pendingSwaps, phase });
    pendingSwaps = [];
  };
  const beginRound = () => {
    round++;
    pendingSwaps = experiment.swaps.filter((s) => s.atRound === round && roles.has(s.role));
    if (experiment.state) push([experiment.state.role], "state");
  };
  const applies = (when: When | undefined, iteration: number) =>
    when === undefined || when === "always" || (when === "first" ? iteration === 0 : iteration > 0);
  const routed = (rules: Parameters<typeof routeTask>[1], bands: Parameters<typeof routeTask>[2]) =>
    routeTask(experiment.task, rules, bands, experiment.roles[0]!.name).role;

  const walk = (steps: readonly Step[], iteration: number, routedRole: string | null): void => {
    for (const step of steps) {
      switch (step.op) {
        case "speak": {
          if (!applies(step.when, iteration)) break;
          const speakers = step.speakers.map((s) => (s === ROUTED ? (routedRole ?? s) : s));
          if (step.concurrent) push(speakers, step.phase);
          else for (const s of speakers) push([s], step.phase);
          break;
        }
        case "vote":
          if (applies(step.when, iteration)) for (const v of step.voters) push([v], step.phase);
          break;
        case "round":
          if (!applies(step.when, iteration)) break;
          beginRound();
          walk(step.body, iteration, routedRole);
          break;
        case "rounds":
          for (let i = 0; i < step.count; i++) {
            beginRound();
            walk(step.body, i, routedRole);
          }
          break;
        case "loop":
          beginRound();
          walk(step.body, 0, routedRole);
          break;
        case "route":
          walk(step.body, iteration, routed(step.rules, step.bands));
          break;
      }
    }
  };
  walk(plan.steps, 0, null);
  return turns;
}
