/**
 * The series the "Metrics" view plots for one session: speed per role per turn, memory over time
 * (estimate, measurement and budget), swap markers, and the vote and rating distributions.
 * Declared once here; the engine derives them from the store and the host only carries them.
 */
import { z } from "zod";
import { RoleName, SwapKind } from "./slots.js";

/**
 * Names under which the engine's memory sampler records memory over time in the store's metrics,
 * one row per name at the same instant, so the three lines of a sample can be zipped by time.
 */
export const MEMORY_METRIC = {
  estimated: "memory.estimatedBytes",
  measured: "memory.measuredBytes",
  budget: "memory.budgetBytes",
} as const;

/** One model turn: how fast it came and how long the first token took. */
export const TurnPoint = z.object({
  seq: z.number().int().positive(),
  at: z.number(),
  role: RoleName,
  round: z.number().int().nonnegative().nullable(),
  tokensPerSec: z.number().nonnegative().nullable(),
  ttftMs: z.number().nonnegative().nullable(),
  /** Tokens of the answer (the content), apart from the thought. */
  completionTokens: z.number().int().nonnegative(),
  /** Tokens of the turn's thought segment (0 when the model did not think). */
  thoughtTokens: z.number().int().nonnegative().optional(),
  /** Time spent thinking, from the thought's first token to its end; null when there was none or it was not measured. */
  thoughtMs: z.number().nonnegative().nullable().optional(),
});
export type TurnPoint = z.infer<typeof TurnPoint>;

/** Memory at one instant: the engine's pre-load estimate, the measured memory of the model processes (the report's measure), and the budget. */
export const MemoryPoint = z.object({
  at: z.number(),
  estimatedBytes: z.number().nonnegative(),
  measuredBytes: z.number().nonnegative(),
  budgetBytes: z.number().nonnegative(),
});
export type MemoryPoint = z.infer<typeof MemoryPoint>;

/** A hot swap, a rotation or a reload after a crash, as a marker on the time axis. */
export const SwapMarker = z.object({
  at: z.number(),
  role: RoleName,
  kind: SwapKind,
  from: z.string().nullable(),
  to: z.string(),
  outcome: z.enum(["ok", "failed-kept-old", "failed-error"]),
  round: z.number().int().nonnegative().nullable(),
});
export type SwapMarker = z.infer<typeof SwapMarker>;

/** A bucket of a 0..1 score histogram: `from` inclusive, `to` exclusive (the last bucket includes 1). */
export const ScoreBucket = z.object({
  from: z.number().min(0).max(1),
  to: z.number().min(0).max(1),
  count: z.number().int().nonnegative(),
});
export type ScoreBucket = z.infer<typeof ScoreBucket>;

/** What the votes said about one speaker's messages. */
export const VoteTally = z.object({
  role: RoleName,
  /** Ballots cast on this role's messages. */
  votes: z.number().int().nonnegative(),
  /** Ballots that ranked one of its messages first. */
  firstPlaces: z.number().int().nonnegative(),
  /** Mean of the score ballots; null when none carried a score. */
  meanScore: z.number().min(0).max(1).nullable(),
});
export type VoteTally = z.infer<typeof VoteTally>;

export const SessionMetrics = z.object({
  sessionId: z.string().min(1),
  /** The session's creation time: the origin of the time axes. */
  startedAt: z.number(),
  turns: z.array(TurnPoint),
  memory: z.array(MemoryPoint),
  swaps: z.array(SwapMarker),
  votes: z.object({ scores: z.array(ScoreBucket), byRole: z.array(VoteTally), total: z.number().int().nonnegative() }),
  ratings: z.object({ scores: z.array(ScoreBucket), total: z.number().int().nonnegative() }),
});
export type SessionMetrics = z.infer<typeof SessionMetrics>;
