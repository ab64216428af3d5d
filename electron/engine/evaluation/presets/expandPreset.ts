/**
 * Expanding a preset into concrete settings for the user's models and this machine. Each preset
 * sets the same list — protocol and rounds, members and their models, token caps, context policy,
 * retries, budget behaviour, prefetch, backends and fallbacks — and says why for each (the
 * expansion's `settings`, shown before the run and stored with the experiment):
 *
 * | setting     | balanced                 | fast                                   | cheap                                   | reliable                                         |
 * |-------------|--------------------------|----------------------------------------|-----------------------------------------|--------------------------------------------------|
 * | protocol    | roundtable, 2 rounds, stop on consensus, vote | parallel work + merge, 1 round | route: one member answers, by complexity | validate: the largest model answers, another model checks, up to 3 attempts |
 * | members     | all                      | resident models first; the last dropped until every seat fits at once (no rotation) | all, smallest model first (simple tasks go to it) | all |
 * | max tokens  | as given                 | ≤ 128                                  | ≤ 96                                    | as given                                         |
 * | context     | drop-oldest              | drop-oldest                            | summarize (no model time, short prompts) | summarize (what was dropped stays represented)   |
 * | retries     | state stage 2 attempts   | state stage 1 attempt                  | state stage 1 attempt                   | 3 validation attempts, state stage 3 attempts    |
 * | budget      | switch to local at 80%   | at 80%                                 | at 50%                                  | at 95%                                           |
 * | prefetch    | on                       | on                                     | off (nothing loaded that may not speak) | on                                               |
 * | backends    | local                    | local (resident seats)                 | local (free)                            | local, falling back to every enabled remote backend |
 *
 * Budget behaviour applies when the experiment sets a `budget`; a preset never invents a spend limit.
 * Fallbacks are written as each role's `fallback` chain (per-role backends); with no remote backend
 * enabled the expansion says so. An experiment that already carries its preset's expansion is
 * returned unchanged, so a rerun, fork or replay runs exactly what was stored.
 */
import type { Experiment, ExperimentRole } from "../../../../shared/experiment.js";
import type { Preset, PresetExpansion, PresetSetting } from "../../../../shared/presets.js";
import type { ModelFacts, PresetFacts } from "./presetFacts.js";

export interface Expanded {
  experiment: Experiment;
  expansion: PresetExpansion | null;
}

const DEFAULT_MAX_TOKENS = 256;

/** Whether `e` still needs its preset expanded. */
export function needsExpansion(e: Experiment): boolean {
  return e.preset !== undefined && e.expansion?.preset !== e.preset;
}

/** The expanded experiment and what the expansion set; `e` unchanged when it has no preset or is expanded already. */
export async function expandPreset(e: Experiment, facts: PresetFacts): Promise<Expanded> {
  if (!e.preset || !needsExpansion(e)) return { experiment: e, expansion: e.expansion ?? null };
  const settings: PresetSetting[] = [];
  const set = (setting: string, value: string, reason: string): void => void settings.push({ setting, value, reason });
  const expanded = await EXPANDERS[e.preset](e, facts, set);
  const expansion: PresetExpansion = {
    preset: e.preset,
    settings,
    machine: { budgetBytes: facts.budgetBytes, residentModels: facts.residentModels, remoteBackends: facts.remoteBackends },
    expandedAt: Date.now(),
  };
  return { experiment: { ...expanded, preset: e.preset, expansion }, expansion };
}

type Setter = (setting: string, value: string, reason: string) => void;
type Expander = (e: Experiment, facts: PresetFacts, set: Setter) => Promise<Experiment>;

const factsOf = (facts: PresetFacts, role: ExperimentRole): ModelFacts | undefined => (role.model === undefined ? undefined : facts.models.get(role.model));
const nameOf = (facts: PresetFacts, role: ExperimentRole): string => factsOf(facts, role)?.name ?? role.model ?? "you";
const members = (roles: readonly ExperimentRole[], facts: PresetFacts): string => roles.map((r) => `${r.name} (${nameOf(facts, r)})`).join(", ");

function capTokens(roles: readonly ExperimentRole[], cap: number | null, set: Setter, reason: string): ExperimentRole[] {
  if (cap === null) {
    set("max tokens", roles.map((r) => `${r.name} ${r.maxTokens ?? DEFAULT_MAX_TOKENS}`).join(", "), reason);
    return [...roles];
  }
  const out = roles.map((r) => ({ ...r, maxTokens: Math.min(r.maxTokens ?? DEFAULT_MAX_TOKENS, cap) }));
  set("max tokens", out.map((r) => `${r.name} ${r.maxTokens}`).join(", "), reason);
  return out;
}

/** The settings every preset shares the shape of: context, retries, budget, prefetch. */
function common(e: Experiment, set: Setter, o: { policy: "drop-oldest" | "summarize"; policyWhy: string; stateAttempts: number; switchAt: number; prefetch: boolean; prefetchWhy: string }): Partial<Experiment> {
  set("context policy", o.policy, o.policyWhy);
  const state = e.state ? { ...e.state, attempts: o.stateAttempts } : undefined;
  set("retries", e.state ? `state stage: ${o.stateAttempts} attempt${o.stateAttempts === 1 ? "" : "s"}` : "none beyond the backends' own", e.state ? "a state the model cannot produce is retried, then replaced by the fallback state" : "no state stage to retry");
  const budget = e.budget ? { ...e.budget, switchAt: o.switchAt } : undefined;
  set("budget", budget ? `switch to free local backends at ${Math.round(o.switchAt * 100)}% of $${budget.usd}` : "no spend limit", budget ? "the share of the budget spent before work moves to free backends" : "the experiment sets no budget; local turns are free");
  set("prefetch", o.prefetch ? "on" : "off", o.prefetchWhy);
  return {
    context: { policy: o.policy },
    ...(state ? { state } : {}),
    ...(budget ? { budget } : {}),
    execution: { ...e.execution, prefetch: o.prefetch },
  };
}

/** Drops swaps of roles no longer in the committee. */
const swapsFor = (e: Experiment, roles: readonly ExperimentRole[]) => e.swaps.filter((s) => roles.some((r) => r.name === s.role));

const balanced: Expander = async (e, facts, set) => {
  const roles = capTokens(e.roles, null, set, "the roles' own caps");
  set("members", members(roles, facts), "every member, on the models given");
  const chair = roles[0]!.name;
  const vote = roles.length > 1;
  set("protocol", `roundtable, 2 rounds, stop on consensus${vote ? ", vote" : ""}, ${chair} chairs`, "propose, critique and revise, then synthesize: the committee's full deliberation");
  set("backends", "local for every role; no fallback", "the in-process models; the pool's routing applies to any remote backend you add");
  return {
    ...e,
    roles,
    swaps: swapsFor(e, roles),
    protocol: { kind: "roundtable", rounds: 2, chair, stopWhen: "consensus", vote },
    ...common(e, set, { policy: "drop-oldest", policyWhy: "the oldest turns leave a full view", stateAttempts: 2, switchAt: 0.8, prefetch: true, prefetchWhy: "the next speaker is loaded and pre-filled while a turn generates" }),
  };
};

const fast: Expander = async (e, facts, set) => {
  // Resident models first: they start at once. Then members are dropped from the end until every
  // seat fits at once, so no turn waits for a rotation (the state stage's role always stays).
  const order = [...e.roles].sort((a, b) => Number(factsOf(facts, b)?.resident ?? false) - Number(factsOf(facts, a)?.resident ?? false));
  let roles = capTokens(order, 128, set, "short turns finish sooner");
  const dropped: string[] = [];
  const shape = (rs: ExperimentRole[]): Experiment => ({
    ...e,
    roles: rs,
    swaps: swapsFor(e, rs),
    protocol: rs.length > 1 ? { kind: "parallel", chair: rs[0]!.name } : { kind: "pipeline" },
  });
  while (roles.length > 1 && !(await facts.fitsWithoutRotation(shape(roles)))) {
    const i = roles.findLastIndex((r) => r.name !== e.state?.role);
    if (i < 0) break;
    dropped.push(roles[i]!.name);
    roles = roles.filter((_, n) => n !== i);
  }
  const resident = roles.filter((r) => factsOf(facts, r)?.resident).map((r) => r.name);
  set(
    "members",
    members(roles, facts),
    [resident.length > 0 ? `already resident: ${resident.join(", ")}` : "none of the models is resident yet", dropped.length > 0 ? `left out so every seat fits at once (no rotation): ${dropped.join(", ")}` : "every seat fits at once (no rotation)"].join("; "),
  );
  set("protocol", roles.length > 1 ? `parallel: ${roles.slice(1).map((r) => r.name).join(", ")} work at once, ${roles[0]!.name} merges; 1 round, no vote` : "pipeline: a single answer", "one round of concurrent work instead of rounds of debate");
  set("backends", "local (resident seats); no fallback", "a fallback would wait on another backend");
  return { ...shape(roles), ...common(e, set, { policy: "drop-oldest", policyWhy: "no model time spent on summaries", stateAttempts: 1, switchAt: 0.8, prefetch: true, prefetchWhy: "the merger is made ready while the workers generate" }) };
};

const cheap: Expander = async (e, facts, set) => {
  const size = (r: ExperimentRole) => factsOf(facts, r)?.sizeBytes ?? Number.MAX_SAFE_INTEGER;
  const roles = capTokens([...e.roles].sort((a, b) => size(a) - size(b)), 96, set, "fewer tokens per turn");
  set("members", members(roles, facts), "smallest model first: the router's complexity bands send simple tasks to it");
  set("protocol", roles.length > 1 ? `route: one member answers, chosen by the task's complexity (${roles.map((r) => r.name).join(" < ")})` : "pipeline: a single answer", "one turn per task instead of a committee's many");
  set("backends", "local (free); no fallback", "in-process models cost nothing per token");
  return {
    ...e,
    roles,
    swaps: swapsFor(e, roles),
    protocol: roles.length > 1 ? { kind: "route" } : { kind: "pipeline" },
    ...common(e, set, { policy: "summarize", policyWhy: "an extractive digest (no model time) keeps prompts short", stateAttempts: 1, switchAt: 0.5, prefetch: false, prefetchWhy: "nothing is loaded for a member that may never speak" }),
  };
};

const reliable: Expander = async (e, facts, set) => {
  const weight = (r: ExperimentRole) => factsOf(facts, r)?.parameterCount ?? 0;
  const roles = capTokens(e.roles, null, set, "the roles' own caps: a validator needs the whole answer");
  const producer = [...roles].sort((a, b) => weight(b) - weight(a))[0]!;
  const validator = roles.find((r) => r !== producer && r.model !== producer.model) ?? roles.find((r) => r !== producer) ?? producer;
  set("members", members(roles, facts), "every member");
  set(
    "protocol",
    `validate: ${producer.name} answers, ${validator.name} checks, ${producer.name} corrects, up to 3 attempts`,
    validator === producer ? "a single member checks its own answer" : validator.model !== producer.model ? "the largest model answers and a different model validates it" : "another member validates the answer",
  );
  const fallback = facts.remoteBackends;
  set(
    "backends",
    fallback.length > 0 ? `local, falling back to ${fallback.join(", ")}` : "local; no fallback available",
    fallback.length > 0 ? "a failed turn is retried on every enabled remote backend in turn" : "no remote backend is enabled: add one in Settings → Backends for a fallback",
  );
  const withFallback = fallback.length > 0 ? roles.map((r) => Object.assign({}, r, { backend: "local", fallback })) : roles;
  return {
    ...e,
    roles: withFallback,
    protocol: { kind: "validate", producer: producer.name, validator: validator.name, corrector: producer.name, maxAttempts: 3 },
    ...common(e, set, { policy: "summarize", policyWhy: "turns folded into a summary stay represented", stateAttempts: 3, switchAt: 0.95, prefetch: true, prefetchWhy: "the validator is made ready while the producer generates" }),
  };
};

const EXPANDERS: Record<Preset, Expander> = { balanced, fast, cheap, reliable };
