/**
 * The experiment file: who sits on the committee (roles and their models), what they work on (the
 * task), how they talk (the protocol), which hot swaps happen when, and how long conversations are
 * kept within each role's context. `conclave run` reads it from JSON or YAML; the UI's experiment
 * editor imports, edits and exports the same files. Declared once here (zod + inferred types).
 *
 * The example of issue 3 is accepted exactly as written; everything added here is optional.
 * Cross-references (a swap naming a role that does not exist) are checked separately, by
 * {@link experimentWarnings}, because the issue's own example swaps a role it never declares.
 */
import { z } from "zod";
import { RoleName } from "./slots.js";
import { MessageType, ProtocolKind } from "./conversation.js";
import { BackendName } from "./backends.js";
import type { ExperimentIssue } from "./experimentIssue.js";
import { ExperimentBackends, backendErrors, backendWarnings, noSecretFields, type KnownBackend } from "./roleBackends.js";
import { LibrarySpec } from "./solutionLibrary.js";
import { ExecutionSpec, Preset, PresetExpansion } from "./presets.js";
import { ArbitrationSpec } from "./human.js";
import { closestName, fieldPath, strictObject } from "./strictObject.js";
import { jsonSchemaIssues } from "./jsonSchemaBounds.js";
import { UserPatternField } from "./userPattern.js";
import { AttachmentSpec } from "./attachments.js";
import { CommandArgv, CommandCheckSpec, CommandLimits } from "./commandCheck.js";

/** A validate loop's gate: a role of the committee, or a command run in the sandbox over the latest answer's artifacts. */
export const ValidatorSpec = z.union([
  RoleName,
  strictObject({ command: CommandArgv, setup: z.array(CommandArgv).max(8).optional(), setupNetwork: z.boolean().optional(), projectModules: z.boolean().optional(), ...CommandLimits.shape }),
]);
export type ValidatorSpec = z.infer<typeof ValidatorSpec>;

/** The command check a command validator stands for. */
export function validatorCheck(v: ValidatorSpec | undefined): CommandCheckSpec | null {
  if (v === undefined || typeof v === "string") return null;
  const { command, ...rest } = v;
  return { kind: "command", run: command, ...rest };
}

export { fieldPath };

/**
 * A role's thinking (reasoning models' thought segments). `budget` caps the thought in tokens; the
 * answer keeps its own `maxTokens` beside it, so a long thought never eats the answer. Peers see a
 * role's thoughts only with `share: true`; the role always sees its own answers only.
 */
export const ThinkingSpec = z.object({
  budget: z.number().int().nonnegative().max(32768).optional(),
  share: z.boolean().default(false),
});
export type ThinkingSpec = z.infer<typeof ThinkingSpec>;

/**
 * Tokens below which a role's `maxTokens` leaves too little room for a whole typed turn as JSON on a
 * small vocabulary (its keys, type, references and confidence take about 40 tokens there). Such a
 * role's content is still kept whole; a JSON answer is cut off, and its labels are asked for apart.
 */
export const TYPED_FORMAT_MIN_TOKENS = 64;

/** One committee member. */
export const ExperimentRole = strictObject({
  name: RoleName,
  /**
   * A GGUF path (relative paths resolve against the experiment file's folder), a library name, an
   * hf: URI or `generated:<preset>`. Required unless the role is `human`.
   */
  model: z.string().min(1, "a model reference is required").optional(),
  /** A seat for the researcher: no model, no memory; its turns wait for a person (shared/human.ts). */
  human: z.boolean().optional(),
  system: z.string().optional(),
  temperature: z.number().min(0).max(5).optional(),
  maxTokens: z.number().int().positive().max(32768).optional(),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().nonnegative().optional(),
  /** Context size of the role's slot in tokens (default 2048, capped by the model's training context). */
  contextSize: z.number().int().min(64).max(262144).optional(),
  /** Tokens of conversation this role is shown at most (default: 3/4 of its context size). */
  contextBudget: z.number().int().min(32).optional(),
  /**
   * Where the role's turns run: `local` (its seat, on `model`), `pool` (the routing policy decides
   * each turn; also what a role naming none gets, and the default policy `first` means `local`), or a
   * named backend from the app's settings or `backends.define`. A role served remotely keeps its
   * local seat parked; `model` is loaded only when one of its turns falls back to `local`.
   */
  backend: BackendName.optional(),
  /** Backends tried in order when the role's backend fails or is down (default: that backend's own chain). */
  fallback: z.array(BackendName).max(8).optional(),
  /** Thought budget and whether peers see the role's thoughts (reasoning models). */
  thinking: ThinkingSpec.optional(),
  ...noSecretFields,
});
export type ExperimentRole = z.infer<typeof ExperimentRole>;

/** A routing rule: the first whose regular expression matches the task picks the role. */
export const RouteRule = strictObject({
  pattern: UserPatternField,
  role: RoleName,
});
export type RouteRule = z.infer<typeof RouteRule>;

/** A complexity band: the first band whose `upTo` is at least the task's score (0..1) picks the role. */
export const ComplexityBand = strictObject({ upTo: z.number().min(0).max(1), role: RoleName });
export type ComplexityBand = z.infer<typeof ComplexityBand>;

/**
 * How the committee talks. One shape for every kind; each kind reads the fields it needs and
 * defaults the rest from the role order (see electron/engine/conversation/protocols/README.md).
 */
export const ProtocolSpec = strictObject({
  kind: ProtocolKind,
  /** roundtable and debate: rounds of talk (default 2). */
  rounds: z.number().int().positive().max(50).optional(),
  /** roundtable: synthesizes; debate: judges; parallel: merges (default: the first role). */
  chair: RoleName.optional(),
  /** roundtable: stop early when every critique of a round is a `consensus` ("consensus", the default), or always run all rounds. */
  stopWhen: z.enum(["consensus", "rounds"]).optional(),
  /** pipeline: the roles in order, generate → enrich… → validate (default: the role order). */
  steps: z.array(RoleName).min(1).optional(),
  /** validate: who answers first (default: the first role). */
  producer: RoleName.optional(),
  /** validate: the gate, a role (default: the last role) or `{ command: [...] }` run in the sandbox. */
  validator: ValidatorSpec.optional(),
  /** roundtable: run the experiment's command check on every proposal, so critiques see which pass (default false). */
  checkProposals: z.boolean().optional(),
  /** validate: who revises after a failed check (default: the producer). */
  corrector: RoleName.optional(),
  /** validate: attempts before the final best effort (default 3). */
  maxAttempts: z.number().int().positive().max(20).optional(),
  /** route: rules tried in order. */
  routes: z.array(RouteRule).optional(),
  /**
   * route: when no rule matches, prefer the role whose model did best in this store's recorded
   * sessions (success, latency, votes) before falling back to the complexity bands.
   */
  learn: z.boolean().optional(),
  /** route: complexity bands used when no rule matches (default: the roles spread evenly over 0..1, in order). */
  complexity: z.array(ComplexityBand).optional(),
  /** compare, roundtable, debate: who votes (default: every role; nobody votes on their own message). */
  voters: z.array(RoleName).optional(),
  /** Whether the protocol ends with a vote (default true for roundtable, debate and compare). */
  vote: z.boolean().optional(),
  /**
   * Votes: show every ballot twice, the second time with the candidates in reverse order, and count
   * the vote only when both rankings agree (judges keep their verdict only about 65% of the time when
   * answers swap places). Default false.
   */
  bothOrders: z.boolean().optional(),
  /**
   * Votes: a judge whose model is of the same family (GGUF architecture + the name's first word) as a
   * contestant's does not vote on that ballot; it is recorded as excluded. Default false.
   */
  excludeSameFamily: z.boolean().optional(),
  /** `manual`: every free turn waits for the researcher to pick the speaker; `auto` (default) keeps the protocol's order. */
  nextSpeaker: z.enum(["auto", "manual"]).optional(),
  /** validate: `human` puts the researcher in as the last gate after the validator (default `model`). */
  approval: z.enum(["model", "human"]).optional(),
});
export type ProtocolSpec = z.infer<typeof ProtocolSpec>;

/** "At round k, role X → model Y": a hot swap applied before round k starts. */
export const ScheduledSwap = strictObject({
  atRound: z.number().int().positive(),
  role: RoleName,
  model: z.string().min(1, "a model reference is required"),
});
export type ScheduledSwap = z.infer<typeof ScheduledSwap>;

/**
 * What happens when a role's conversation outgrows its budget:
 * - `drop-oldest`: the oldest messages leave the role's view (the task and the latest summary stay);
 * - `summarize`: the oldest messages are folded into a `summary` message addressed to that role, an
 *   extractive digest (speaker, type and the opening of each message), so no model time is spent.
 */
export const ContextPolicy = z.enum(["drop-oldest", "summarize"]);
export type ContextPolicy = z.infer<typeof ContextPolicy>;

/** A session budget in USD; at `switchAt` of it (default 0.8) the backend pool keeps work on free, local backends. */
export const SessionBudgetSpec = strictObject({
  usd: z.number().positive(),
  switchAt: z.number().gt(0).max(1).optional(),
});
export type SessionBudgetSpec = z.infer<typeof SessionBudgetSpec>;

/** One field of the structured state: its type and the range a valid value must fall in. */
export const StateField = z.discriminatedUnion("type", [
  strictObject({ type: z.literal("number"), min: z.number(), max: z.number() }).refine((f) => f.min <= f.max, "min must not exceed max"),
  strictObject({ type: z.literal("string"), maxLength: z.number().int().positive().max(2000).default(200) }),
  strictObject({ type: z.literal("enum"), values: z.array(z.string().min(1)).min(1) }),
  strictObject({ type: z.literal("boolean") }),
]);
export type StateField = z.infer<typeof StateField>;

/**
 * Seed 003's state stage: before every round a cheap role updates structured JSON with these fields
 * from the previous state and the turns since, checked against their types and ranges, retried,
 * cached, and replaced by a deterministic fallback when the model cannot produce valid state.
 */
export const StateSpec = strictObject({
  role: RoleName,
  fields: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, "a field name is an identifier"), StateField).refine((f) => Object.keys(f).length > 0, "at least one field"),
  attempts: z.number().int().min(1).max(5).optional(),
  maxTokens: z.number().int().positive().max(1024).optional(),
  /**
   * Reuse a state when the previous state and the turns since repeat — in this session or any
   * earlier one in the same database, with the same model and fields (default true). `false`
   * asks the model every time.
   */
  cache: z.boolean().optional(),
});
export type StateSpec = z.infer<typeof StateSpec>;

/** One task of a task set: an id unique in the set, the prompt, and (for checkers) the reference answer. */
export const TaskItem = strictObject({
  id: z.string().min(1, "a task id is required").max(200),
  prompt: z.string().min(1, "a task prompt is required"),
  reference: z.union([z.string(), z.number()]).optional(),
  /** Files this task alone brings (resolved like the experiment's). */
  attachments: z.array(AttachmentSpec).max(64).optional(),
});
export type TaskItem = z.infer<typeof TaskItem>;

/**
 * The tasks the committee runs on: inline, or a path to a JSONL, CSV or YAML file (relative paths
 * resolve against the experiment file's folder) holding `{id, prompt, reference?}` items.
 */
export const TaskSetSpec = z.union([
  z.array(TaskItem).min(1, "at least one task"),
  z.string().min(1).regex(/\.(jsonl|csv|ya?ml)$/i, "a task file ends in .jsonl, .csv, .yaml or .yml"),
]);
export type TaskSetSpec = z.infer<typeof TaskSetSpec>;

const CheckObject = z.discriminatedUnion("kind", [
  /** The answer equals the reference, ignoring case and surrounding or repeated whitespace unless `caseSensitive`. */
  strictObject({ kind: z.literal("exact"), caseSensitive: z.boolean().default(false) }),
  /** The answer matches `pattern` (default: the task's reference read as a pattern), case-insensitively unless `caseSensitive`. */
  strictObject({ kind: z.literal("regex"), pattern: UserPatternField.optional(), caseSensitive: z.boolean().default(false) }),
  /** The answer's number is within `tolerance` of the reference (absolute, or a fraction of the reference when `relative`). */
  strictObject({ kind: z.literal("numeric"), tolerance: z.number().nonnegative().default(0), relative: z.boolean().default(false) }),
  /** The answer parses as JSON valid against `schema` (JSON Schema, draft 2020-12 or 07). */
  strictObject({ kind: z.literal("json-schema"), schema: z.record(z.string(), z.json()) }),
  /** A named role of the committee, or a model reference, grades each answer blind against the task (and its reference, when there is one). */
  strictObject({ kind: z.literal("judge"), judge: z.string().min(1, "name the judging role or model"), instruction: z.string().optional() }),
  /** The answer's artifacts over the attachments, in a sandboxed workspace; the command's exit code 0 passes (shared/commandCheck.ts). */
  CommandCheckSpec,
]);

/** How an answer is checked; a bare kind (`"exact"`) takes that kind's defaults. */
export const CheckSpec = z.preprocess((v) => (typeof v === "string" ? { kind: v } : v), CheckObject);
export type CheckSpec = z.infer<typeof CheckObject>;

/**
 * The same-budget baseline: the single model (a role's model, by role name, or a model reference;
 * default the first role's) on the same tasks, spending as many tokens as the committee did:
 * `self-consistency` (parallel samples, majority of extracted answers), `best-of-n` (parallel samples,
 * the checker's or judge's pick) or `single` (one answer).
 */
export const BaselineSpec = strictObject({
  kind: z.enum(["self-consistency", "best-of-n", "single"]),
  model: z.string().min(1).optional(),
});
export type BaselineSpec = z.infer<typeof BaselineSpec>;

export const Experiment = strictObject({
  title: z.string().default("Untitled experiment"),
  task: z.string().min(1, "the task is required"),
  /** Files, folders or globs (relative to the experiment file's folder) every role is shown; see shared/attachments.ts. */
  attachments: z.array(AttachmentSpec).max(64).optional(),
  /** Seeds every generation (derived per role and turn) and every shuffle, so a run can be repeated. */
  seed: z.number().int().nonnegative().optional(),
  roles: z.array(ExperimentRole).min(1, "at least one role is required").max(16),
  protocol: ProtocolSpec,
  swaps: z.array(ScheduledSwap).default([]),
  context: strictObject({
    policy: ContextPolicy.default("drop-oldest"),
  }).default({ policy: "drop-oldest" }),
  /** Message types a role may use in free turns (defaults per protocol step). */
  types: z.array(MessageType).optional(),
  /** Spend allowed for the session on priced backends; work switches to local ones as it is approached. */
  budget: SessionBudgetSpec.optional(),
  state: StateSpec.optional(),
  /** A task set: the committee runs once per task (with `tasks`, `task` frames every task's prompt). */
  tasks: TaskSetSpec.optional(),
  /** How each task's result is checked against its reference. */
  check: CheckSpec.optional(),
  /** A regular expression that pulls the answer out of a message: its first group, else the whole match (the last match counts). */
  extract: UserPatternField.optional(),
  baseline: BaselineSpec.optional(),
  /** Backends this session alone may use (never with a key) and the routing policy of its `pool` turns. */
  backends: ExperimentBackends.optional(),
  ...noSecretFields,
  /** The solution library: similar past results that succeeded are brought in as cited material (shared/solutionLibrary.ts). */
  library: LibrarySpec.optional(),
  /** A preset the engine expands into concrete settings before the run (shared/presets.ts). */
  preset: Preset.optional(),
  /** The expansion of `preset`, written by the engine and stored with the experiment. */
  expansion: PresetExpansion.optional(),
  /** How the session runs beyond the protocol (prefetch). */
  execution: ExecutionSpec.optional(),
  /** When the researcher settles what the committee cannot (ties, disagreement…); shared/human.ts. */
  arbitration: ArbitrationSpec.optional(),
});
export type Experiment = z.infer<typeof Experiment>;
export type ExperimentInput = z.input<typeof Experiment>;

/** A role with a model (every role but the human seats). */
export type ModelRole = ExperimentRole & { model: string };

/** Whether the role is the researcher's seat. */
export function isHumanRole(role: Pick<ExperimentRole, "human">): boolean {
  return role.human === true;
}

/** The roles a model plays: the ones that take seats, memory and residency. */
export function modelRoles(e: Pick<Experiment, "roles">): ModelRole[] {
  return e.roles.filter((r): r is ModelRole => !isHumanRole(r) && r.model !== undefined);
}

/** The human seats' names. */
export function humanRoles(e: Pick<Experiment, "roles">): string[] {
  return e.roles.filter(isHumanRole).map((r) => r.name);
}

export type { ExperimentIssue } from "./experimentIssue.js";

/**
 * Cross-references that must hold for the session to run (errors). With `knownBackends` (the app's
 * backends), the roles' backend names are checked against them too.
 */
export function experimentErrors(e: Experiment, knownBackends?: readonly KnownBackend[]): ExperimentIssue[] {
  const names = e.roles.map((r) => r.name);
  const issues: ExperimentIssue[] = [];
  const seen = new Set<string>();
  e.roles.forEach((r, i) => {
    if (seen.has(r.name)) issues.push({ path: `roles[${i}].name`, message: `duplicate role name '${r.name}'` });
    if (r.name === "user" || r.name === "system") {
      issues.push({ path: `roles[${i}].name`, message: `'${r.name}' is reserved for the task and the orchestrator` });
    }
    seen.add(r.name);
    if (isHumanRole(r) && r.model !== undefined) issues.push({ path: `roles[${i}].model`, message: `'${r.name}' is a human seat: it has no model` });
    if (isHumanRole(r) && r.backend !== undefined) issues.push({ path: `roles[${i}].backend`, message: `'${r.name}' is a human seat: it has no backend` });
    if (!isHumanRole(r) && r.model === undefined) issues.push({ path: `roles[${i}].model`, message: "a model reference is required (or `human: true` for a seat of your own)" });
  });
  if (e.roles.every(isHumanRole)) issues.push({ path: "roles", message: "at least one role needs a model" });
  const humans = new Set(humanRoles(e));
  e.swaps.forEach((sw, i) => {
    if (humans.has(sw.role)) issues.push({ path: `swaps[${i}].role`, message: `'${sw.role}' is a human seat: it has no model to swap` });
  });
  if (e.state && humans.has(e.state.role)) issues.push({ path: "state.role", message: `'${e.state.role}' is a human seat: the state stage needs a model` });
  const known = (path: string, role: string | undefined) => {
    if (role !== undefined && !names.includes(role)) {
      issues.push({ path, message: `'${role}' is not one of the roles (${names.join(", ")})` });
    }
  };
  const p = e.protocol;
  known("protocol.chair", p.chair);
  known("protocol.producer", p.producer);
  known("protocol.validator", typeof p.validator === "string" ? p.validator : undefined);
  known("protocol.corrector", p.corrector);
  p.steps?.forEach((r, i) => known(`protocol.steps[${i}]`, r));
  p.voters?.forEach((r, i) => known(`protocol.voters[${i}]`, r));
  p.routes?.forEach((r, i) => known(`protocol.routes[${i}].role`, r.role));
  p.complexity?.forEach((b, i) => known(`protocol.complexity[${i}].role`, b.role));
  known("state.role", e.state?.role);
  if (p.kind === "compare" && e.roles.length < 2) {
    issues.push({ path: "roles", message: "compare needs at least two roles" });
  }
  if (e.check?.kind === "json-schema") issues.push(...jsonSchemaIssues(e.check.schema, "check.schema"));
  if (e.check?.kind === "judge") issues.push(...modelOrRole("check.judge", e.check.judge, names));
  if (e.baseline?.model !== undefined) issues.push(...modelOrRole("baseline.model", e.baseline.model, names));
  if (e.baseline && !e.tasks) issues.push({ path: "baseline", message: "a baseline runs on a task set: add `tasks`" });
  if (e.check && !e.tasks && e.check.kind !== "command") issues.push({ path: "check", message: "a check runs on a task set: add `tasks`" });
  if (p.checkProposals && e.check?.kind !== "command") issues.push({ path: "protocol.checkProposals", message: "checking proposals needs a command check: add `check: { kind: \"command\", run: [...] }`" });
  if (Array.isArray(e.tasks)) {
    const seen = new Map<string, number>();
    e.tasks.forEach((t, i) => {
      const first = seen.get(t.id);
      if (first !== undefined) issues.push({ path: `tasks[${i}].id`, message: `duplicate task id '${t.id}' (first at tasks[${first}])` });
      else seen.set(t.id, i);
    });
    const needsReference = e.check && (e.check.kind === "exact" || e.check.kind === "numeric" || (e.check.kind === "regex" && !e.check.pattern));
    if (needsReference) {
      e.tasks.forEach((t, i) => {
        if (t.reference === undefined) issues.push({ path: `tasks[${i}].reference`, message: `a ${e.check?.kind} check needs a reference answer` });
      });
    }
    if (e.check?.kind === "numeric") {
      e.tasks.forEach((t, i) => {
        if (t.reference !== undefined && !Number.isFinite(Number(t.reference))) issues.push({ path: `tasks[${i}].reference`, message: `a numeric check needs a number (got ${JSON.stringify(t.reference)})` });
      });
    }
  }
  issues.push(...backendErrors(e, knownBackends));
  return issues;
}

/** What a model reference of its own looks like: a path, a `.gguf` file, or a `generated:` / remote URI. */
const MODEL_REF = /[\\/]|\.gguf$|^(generated:|hf:|huggingface:|https?:\/\/)/i;

/**
 * A field naming a role or a model of its own (a judge, a baseline): a bare word that is not a role
 * is most likely a misspelt role, and would otherwise be found out only when the model is loaded.
 */
function modelOrRole(path: string, ref: string, roles: readonly string[]): ExperimentIssue[] {
  if (roles.includes(ref) || MODEL_REF.test(ref)) return [];
  const near = closestName(ref, roles);
  return [{ path, message: `'${ref}' is not one of the roles (${roles.join(", ")})${near ? `; did you mean '${near}'?` : ""}; a model of its own is named by a path, a .gguf file, or a generated: or hf: reference` }];
}

/** Cross-references the session can run without (the swap is skipped and the skip recorded). */
export function experimentWarnings(e: Experiment, knownBackends?: readonly KnownBackend[]): ExperimentIssue[] {
  const names = e.roles.map((r) => r.name);
  const swaps = e.swaps.flatMap((s, i) =>
    names.includes(s.role)
      ? []
      : [{ path: `swaps[${i}].role`, message: `'${s.role}' is not one of the roles (${names.join(", ")}); this swap will be skipped` }],
  );
  // Compare columns are plain answers: only the other protocols write typed turns.
  const room =
    e.protocol.kind === "compare"
      ? []
      : e.roles.flatMap((r, i) =>
          r.maxTokens !== undefined && r.maxTokens < TYPED_FORMAT_MIN_TOKENS
            ? [
                {
                  path: `roles[${i}].maxTokens`,
                  message: `${r.maxTokens} tokens leave too little room for the typed format (a whole typed-turn JSON takes about 40 tokens on small vocabularies): the content is kept, but a JSON answer is cut off and its type, references and confidence are asked for in a second step; ${TYPED_FORMAT_MIN_TOKENS} or more avoids it`,
                },
              ]
            : [],
        );
  return [...swaps, ...room, ...(knownBackends ? backendWarnings(e, knownBackends) : [])];
}
