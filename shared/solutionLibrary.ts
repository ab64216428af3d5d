/**
 * The solution library: past results that succeeded, retrieved by task similarity and brought into
 * a new committee's context as cited material. Declared once here; the engine implements it
 * (electron/engine/data/solutions/), the RPC and the timeline only carry these shapes.
 *
 * Similarity bands decide the path a session takes:
 *  - `reuse`: the best past task is near-identical (similarity ≥ `reuseAt`): its answer is offered
 *    as the answer, and one member only confirms it (or corrects it) instead of the whole protocol;
 *  - `adapt`: similar (≥ `minScore`): up to `topK` past results are offered as material and the
 *    protocol runs as usual;
 *  - `fresh`: nothing similar enough succeeded before: the committee generates from scratch.
 */
import { z } from "zod";
import { strictObject } from "./strictObject.js";

/** The experiment's `library` option. */
export const LibrarySpec = strictObject({
  use: z.boolean(),
  /** Past results offered at most (default 3). */
  topK: z.number().int().min(1).max(10).optional(),
  /** Least similarity (0..1, BM25 scaled against the task itself) for a past result to be offered (default 0.3). */
  minScore: z.number().min(0).max(1).optional(),
  /** Least similarity at which the best past answer is reused rather than adapted (default 0.9). */
  reuseAt: z.number().min(0).max(1).optional(),
}).refine((l) => (l.minScore ?? LIBRARY_DEFAULTS.minScore) <= (l.reuseAt ?? LIBRARY_DEFAULTS.reuseAt), {
  message: "minScore must not exceed reuseAt",
  path: ["minScore"],
});
export type LibrarySpec = z.infer<typeof LibrarySpec>;

export const LIBRARY_DEFAULTS = { topK: 3, minScore: 0.3, reuseAt: 0.9 } as const;

export const LibraryPath = z.enum(["reuse", "adapt", "fresh"]);
export type LibraryPath = z.infer<typeof LibraryPath>;

/** Why a past result counts as a success: a checker passed it, it won its session's vote, or it was rated 4 stars or more. */
export const SuccessBasis = z.enum(["checker", "vote", "rating"]);
export type SuccessBasis = z.infer<typeof SuccessBasis>;

/** A library entry as it was offered: where it came from, why it counts, and how close it was. */
export const RetrievedItem = z.object({
  /** The `retrieved` message that carried it into the session; null until sent. */
  messageId: z.string().nullable(),
  similarity: z.number().min(0).max(1),
  sourceSessionId: z.string(),
  sourceTitle: z.string(),
  sourceTask: z.string(),
  /** The past result message and its author. */
  sourceMessageId: z.string(),
  sourceFrom: z.string(),
  answer: z.string(),
  basis: z.array(SuccessBasis).min(1),
  /** The evidence in words: "checker:numeric passed", "won the vote (2.0 points, 3 ballots)", "rated 5 stars by user". */
  evidence: z.array(z.string()),
  /** The model behind the past answer, when one produced it. */
  model: z.object({ name: z.string(), fingerprint: z.string() }).nullable(),
  /** How long the past session took to generate (ms); null when it was not recorded. */
  generationMs: z.number().nonnegative().nullable(),
  createdAt: z.number(),
});
export type RetrievedItem = z.infer<typeof RetrievedItem>;

/** What the library did for one session. */
export const LibraryUse = z.object({
  sessionId: z.string(),
  path: LibraryPath,
  /** The best similarity found among successful past results (0 when none). */
  bestSimilarity: z.number().min(0).max(1),
  items: z.array(RetrievedItem),
  /** The settings it ran with, defaults filled in. */
  topK: z.number().int().positive(),
  minScore: z.number().min(0).max(1),
  reuseAt: z.number().min(0).max(1),
  /** 1 when something was offered (reuse or adapt), else 0. */
  hit: z.union([z.literal(0), z.literal(1)]),
  /** Hits over library-using sessions in this store up to and including this one. */
  hitRate: z.number().min(0).max(1),
  /**
   * The offered past session's generation time minus this session's, ms (reuse and adapt; 0 for
   * fresh generation; null until the session ends). Negative when this session took longer.
   */
  savedMs: z.number().nullable(),
  createdAt: z.number(),
});
export type LibraryUse = z.infer<typeof LibraryUse>;
