/**
 * Protocols as data. A protocol kind compiles (see definitions.ts) to a {@link ProtocolPlan}: a tree
 * of steps that one orchestrator (conversation/session/SessionRunner.ts) interprets. Control flow is data too —
 * repeated rounds with a stopping rule, a loop with a pass condition, a router — so every
 * protocol shares the same machinery for views, typed turns, votes, swaps and pause/abort.
 *
 * Rounds: every `round`, every iteration of `rounds` and every attempt of `loop` advances the
 * session's round counter (1, 2, 3…). Scheduled swaps fire before the round they name starts.
 */
import type { MessageType, ProtocolKind } from "../../../../shared/conversation.js";
import type { ComplexityBand, RouteRule } from "../../../../shared/experiment.js";

/** Stands for the role a `route` step picked. */
export const ROUTED = "$routed";

/** Which iteration of the enclosing `rounds`/`loop` a step runs in. */
export type When = "always" | "first" | "later";

/** One or more roles each say one typed turn. */
export interface SpeakStep {
  op: "speak";
  /** Name under which this step's messages are found by later steps (votes, stopping rules). */
  phase: string;
  speakers: string[];
  /** Allowed message types; the first is the default. */
  types: MessageType[];
  /** Shown as an orchestrator message addressed to the speakers; `{round}`, `{attempt}`, `{max}` are filled in. */
  instruction: string;
  /** Speakers generate at once (seeing the conversation as it was before the step). */
  concurrent?: boolean;
  /** Speakers do not see other roles' messages (independent answers). */
  privateView?: boolean;
  /** The answer as written: no type, references or confidence asked (compare columns, like a baseline's samples). */
  plain?: boolean;
  when?: When;
}

/** Voters rank the latest message of every other role from earlier phases. */
export interface VoteStep {
  op: "vote";
  phase: string;
  voters: string[];
  /** Candidates: per role, its latest message from any of these phases. */
  from: string[];
  /** Voters see anonymous labels only, not who wrote what. */
  blind: boolean;
  instruction: string;
  when?: When;
}

/** One round. */
export interface RoundStep {
  op: "round";
  body: Step[];
  when?: When;
}

/** Up to `count` rounds; stops early when every message of `stopWhen.phase` in a round has type `stopWhen.type`. */
export interface RoundsStep {
  op: "rounds";
  count: number;
  body: Step[];
  stopWhen?: { phase: string; type: MessageType };
}

/** Rounds until the latest message of `passWhen.phase` has type `passWhen.type`, at most `maxAttempts`; then `onFail`. */
export interface LoopStep {
  op: "loop";
  maxAttempts: number;
  body: Step[];
  passWhen: { phase: string; type: MessageType };
  onFail: Step[];
}

/** Picks a role by rules, then complexity, and runs `body` with it as {@link ROUTED}. */
export interface RouteStep {
  op: "route";
  rules: RouteRule[];
  bands: ComplexityBand[];
  body: Step[];
}

/**
 * The orchestrator runs a command check in the sandbox on the artifacts of the latest message of
 * `of` (or, with `each`, of every message of `of` in this round) and posts the evidence addressed to
 * `to`: a `consensus` when it passed, a `critique` with the trimmed output when it did not. `check`
 * names which check: the validate loop's command validator, or the experiment's command check.
 */
export interface CommandStep {
  op: "command";
  phase: string;
  check: "validator" | "experiment";
  of: string[];
  each?: boolean;
  to: string[];
  when?: When;
}

export type Step = SpeakStep | VoteStep | RoundStep | RoundsStep | LoopStep | RouteStep | CommandStep;

export interface ProtocolPlan {
  kind: ProtocolKind;
  /** One line for the transcript header. */
  summary: string;
  /** Appended to every role's system prompt: what the committee is and how to answer. */
  guidance: string;
  steps: Step[];
}
