/**
 * Fork and replay: a session taken at one of its messages into a new session (optionally with
 * another experiment), or rerun with its stored experiment, seed included, and compared with it
 * message by message. Declared once here; the engine implements them (conversation/session/SessionManager.ts),
 * the RPC, the CLI (`conclave fork`, `conclave replay`) and the timeline only carry these shapes.
 * A session's own origin is {@link SessionOrigin} on its `SessionInfo`.
 */
import { z } from "zod";
import { MessageType, SessionInfo, SessionStatus, Speaker } from "./conversation.js";

/** Why a replay may not reproduce its source exactly, named before it runs. */
export const ReplayWarningKind = z.enum([
  /** Speakers of one step generate at once (parallel, compare): they share the threads, and timing enters. */
  "concurrent",
  /** Turns of the source ran on a remote backend: its sampling and model are out of this machine's hands. */
  "remote-backend",
  /** The learned router reads every recorded session, which the source itself has since added to. */
  "learned-routing",
  /** The source had swaps no experiment schedules (by hand, during the run): the replay does not repeat them. */
  "manual-swap",
  /** The source did not complete: it stopped where the replay will not. */
  "unfinished-source",
  /** The source is a fork: its first messages came from its parent, under the parent's experiment. */
  "fork-prefix",
  /** The stored experiment has no seed, so the replay cannot use the same one. */
  "no-seed",
]);
export type ReplayWarningKind = z.infer<typeof ReplayWarningKind>;

export const ReplayWarning = z.object({ kind: ReplayWarningKind, message: z.string() });
export type ReplayWarning = z.infer<typeof ReplayWarning>;

/** One side of a compared message: where it is and what it says (the opening of its content). */
export const TranscriptSide = z.object({
  seq: z.number().int().positive(),
  from: Speaker,
  type: MessageType,
  excerpt: z.string(),
});
export type TranscriptSide = z.infer<typeof TranscriptSide>;

/** The first compared position where the two transcripts differ. */
export const Divergence = z.object({
  /** 1-based position among the compared messages of each side. */
  index: z.number().int().positive(),
  /** Null where that transcript had already ended. */
  source: TranscriptSide.nullable(),
  replay: TranscriptSide.nullable(),
  /** What differs; empty when one side had ended. */
  fields: z.array(z.enum(["from", "type", "content"])),
});
export type Divergence = z.infer<typeof Divergence>;

/**
 * A replay compared with its source. Messages are compared by speaker, type and content, in order;
 * orchestrator notes about events (swap timings, faults, state snapshots) are left out,
 * since they record how a run went rather than what was said.
 */
export const ReplayReport = z.object({
  /** The replay. */
  sessionId: z.string().min(1),
  sourceId: z.string().min(1),
  /** `running` until the replay ends; the comparison below is made then. */
  state: z.enum(["running", "done"]),
  /** The replay's status when it was compared. */
  replayStatus: SessionStatus.nullable(),
  warnings: z.array(ReplayWarning),
  /** Messages compared on each side (event notes left out). */
  compared: z.object({ source: z.number().int().nonnegative(), replay: z.number().int().nonnegative() }),
  /** Messages identical on both sides before the first divergence. */
  matched: z.number().int().nonnegative(),
  /** Positions present on both sides whose messages differ. */
  differing: z.number().int().nonnegative(),
  /** Messages past the end of the other side. */
  sourceOnly: z.number().int().nonnegative(),
  replayOnly: z.number().int().nonnegative(),
  /** Null when the transcripts are identical (or, while running, not compared yet). */
  firstDivergence: Divergence.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ReplayReport = z.infer<typeof ReplayReport>;

/** What `sessions.replay` answers at once: the new session and the warnings, before anything runs. */
export const ReplayStart = z.object({ session: SessionInfo, warnings: z.array(ReplayWarning) });
export type ReplayStart = z.infer<typeof ReplayStart>;

/** A session's family: where it came from, its forks and replays, and (a replay's) report. */
export const SessionLineage = z.object({
  /** The parent of a fork or the source of a replay; null for a session started from an experiment. */
  parent: SessionInfo.nullable(),
  /** Forks and replays of this session, oldest first (each names its fork point in `origin`). */
  children: z.array(SessionInfo),
  report: ReplayReport.nullable(),
  /** A fork's edits: what its experiment changes from its parent's, a few words each (empty: none, or not a fork). */
  changes: z.array(z.string()),
});
export type SessionLineage = z.infer<typeof SessionLineage>;
