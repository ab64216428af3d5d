/**
 * The sessions service's contract, apart from the façade so that the engine's parts that drive
 * sessions (evaluations, compare) depend on it without depending on the whole of Engine.ts.
 */
import type { DecideRequest, HumanAnswer, HumanWait, SayRequest } from "../../../../shared/human.js";
import type { Message, SessionInfo, SessionSwap } from "../../../../shared/conversation.js";
import type { ExperimentInput } from "../../../../shared/experiment.js";
import type { ReplayStart, SessionLineage } from "../../../../shared/lineage.js";
import type { ResidencyPlan } from "../../../../shared/residency.js";
import type { SessionControl } from "../../../../shared/rpc.js";
import type { SessionOutcome } from "./SessionRunner.js";

/** The read side of sessions: what a store-only engine (no model processes) can answer too. */
export interface SessionReads {
  /** Every stored session, newest first. */
  list(): Promise<SessionInfo[]>;
  get(sessionId: string): Promise<SessionInfo>;
  messages(sessionId: string, offset: number, limit: number): Promise<{ messages: Message[]; total: number }>;
  /** Swaps recorded during the session, for the timeline's inline swap events. */
  swaps(sessionId: string): Promise<SessionSwap[]>;
}

/** How a session meets the researcher when nobody sits at a UI (the CLI). */
export interface HumanOptions {
  /** Answers used in order before anyone is asked live (`conclave run --answers`). */
  answers?: readonly HumanAnswer[];
  /** Whether someone can answer live (default true: a UI or a TTY). */
  attended?: boolean;
}

/** Committee sessions: created, followed, controlled, resumed after an interruption, planned. */
export interface SessionsService extends SessionReads {
  /**
   * Starts a session from a whole experiment (the same shape `conclave run` reads). `answers` feed
   * its waits for the researcher in order; without `attended`, a wait nothing can answer fails it.
   */
  create(experiment: ExperimentInput, options?: HumanOptions): Promise<SessionInfo>;
  /** The researcher speaks into a running session: the awaited human seat's turn, or an interjection. Returns the message an interjection became (null for a turn: it arrives as the seat's message). */
  say(request: SayRequest): Promise<Message | null>;
  /** Answers the decision a session waits for (a tie, the next speaker, an approval). */
  decide(request: DecideRequest): Promise<SessionInfo>;
  /** What a running session waits for from the researcher, or null. */
  waiting(sessionId: string): Promise<HumanWait | null>;
  /** pause/resume/abort a running session; resume/end an interrupted one. */
  control(sessionId: string, action: SessionControl): Promise<SessionInfo>;
  /** Resolves when the session ends (a running one), with its outcome. */
  wait(sessionId: string): Promise<SessionOutcome>;
  /** The residency plan of a running session. */
  plan(sessionId: string): Promise<ResidencyPlan>;
  /** The residency plan an experiment would get if it started now (nothing is loaded). */
  preview(experiment: ExperimentInput): Promise<ResidencyPlan>;
  /** A new session with messages 1..atSeq of `sessionId`, continuing live (under `experiment` when given). */
  fork(sessionId: string, atSeq: number, experiment?: ExperimentInput): Promise<SessionInfo>;
  /** Reruns a session's stored experiment, seed included; the new session is compared with it when it ends. */
  replay(sessionId: string): Promise<ReplayStart>;
  /** Where a session came from, its forks and replays, and a replay's report. */
  lineage(sessionId: string): Promise<SessionLineage>;
}
