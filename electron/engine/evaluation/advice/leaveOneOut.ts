/**
 * Leave-one-out: a sample of a committee's sessions re-run without one member at a time — the same
 * stored experiment, seed and task, with that member taken out of the roles and out of every place
 * the protocol names it (a chair, producer or validator named after it falls back to the protocol's
 * default) — and each result compared with the full committee's: how alike the two results are
 * (textSimilarity.ts) and, where the experiment checks answers against references, whether each is
 * correct. The re-runs are ordinary sessions (titled "… · without <member>"), run with the
 * solution library off so they generate rather than reuse. They cost compute: opt-in only.
 */
import type { LeaveOneOutFigures } from "../../../../shared/advice.js";
import type { SessionInfo } from "../../../../shared/conversation.js";
import { Experiment, type ExperimentInput } from "../../../../shared/experiment.js";
import { checkerFor } from "../tasks/checkers.js";
import { extractAnswer } from "../tasks/extractAnswer.js";
import type { SessionOutcome } from "../../conversation/session/SessionRunner.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { textSimilarity } from "./textSimilarity.js";

/** What leave-one-out needs of the session service. */
export interface SessionStarter {
  create(experiment: ExperimentInput): Promise<SessionInfo>;
  wait(sessionId: string): Promise<SessionOutcome>;
}

/** `e` without `member`; null when it is the only member. */
export function withoutMember(e: Experiment, member: string): Experiment | null {
  const roles = e.roles.filter((r) => r.name !== member);
  if (roles.length === 0 || roles.length === e.roles.length) return null;
  const p = { ...e.protocol };
  for (const k of ["chair", "producer", "validator", "corrector"] as const) if (p[k] === member) delete p[k];
  const keep = <T>(list: T[] | undefined, name: (t: T) => string): T[] | undefined => {
    const kept = list?.filter((x) => name(x) !== member);
    return kept && kept.length > 0 ? kept : undefined;
  };
  const steps = keep(p.steps, (s) => s);
  const voters = keep(p.voters, (s) => s);
  const routes = keep(p.routes, (r) => r.role);
  const complexity = keep(p.complexity, (b) => b.role);
  const protocol = { ...p, steps, voters, routes, complexity };
  for (const k of ["steps", "voters", "routes", "complexity"] as const) if (protocol[k] === undefined) delete protocol[k];
  const { library: _library, state, ...rest } = e;
  return {
    ...rest,
    roles,
    protocol,
    swaps: e.swaps.filter((s) => s.role !== member),
    ...(state && state.role !== member ? { state } : {}),
  };
}

/** Whether `answer` is correct for the session's task, when the experiment checks against a reference it holds; else null. */
function correctness(e: Experiment, task: string, answer: string | null): boolean | null {
  if (!e.check || !Array.isArray(e.tasks) || answer === null) return null;
  const item = e.tasks.find((t) => t.prompt === task) ?? e.tasks.find((t) => task.includes(t.prompt));
  const check = checkerFor(e.check);
  if (!item || !check) return null;
  return check(extractAnswer(answer, e.extract), item).correct;
}

/**
 * Re-runs up to `sample` of `sessionIds` (completed ones, oldest first) once per member without it;
 * returns each member's figures. `progress` hears one line per re-run.
 */
export async function leaveOneOut(
  store: SessionStore,
  sessions: SessionStarter,
  sessionIds: readonly string[],
  members: readonly string[],
  sample: number,
  progress: (line: string) => void = () => undefined,
): Promise<Map<string, LeaveOneOutFigures>> {
  const figures = new Map<string, LeaveOneOutFigures & { similarities: number[] }>();
  for (const m of members) figures.set(m, { runs: 0, resultSimilarity: null, correctWith: null, correctWithout: null, sessionIds: [], similarities: [] });
  const picked = sessionIds.map((id) => store.getSession(id)).filter((s): s is SessionInfo => s?.status === "completed").slice(0, sample);
  for (const source of picked) {
    const parsed = Experiment.safeParse(source.experiment);
    if (!parsed.success) continue;
    const e = { ...parsed.data, task: source.task };
    const full = store.results.message(source.id);
    for (const member of members) {
      const reduced = withoutMember(e, member);
      const f = figures.get(member)!;
      if (!reduced) continue;
      progress(`leave-one-out: ${source.title} without ${member}`);
      const started = await sessions.create({ ...reduced, title: `${source.title} · without ${member}` });
      const outcome = await sessions.wait(started.id);
      f.sessionIds.push(started.id);
      if (outcome.status !== "completed") continue;
      f.runs++;
      const without = store.results.message(started.id);
      f.similarities.push(full && without ? textSimilarity(full.content, without.content) : 0);
      const cWith = correctness(e, source.task, full?.content ?? null);
      const cWithout = correctness(e, source.task, without?.content ?? null);
      if (cWith !== null && cWithout !== null) {
        f.correctWith = (f.correctWith ?? 0) + Number(cWith);
        f.correctWithout = (f.correctWithout ?? 0) + Number(cWithout);
      }
    }
  }
  return new Map(
    [...figures].map(([m, { similarities, ...f }]) => [m, { ...f, resultSimilarity: similarities.length > 0 ? similarities.reduce((s, v) => s + v, 0) / similarities.length : null }]),
  );
}
