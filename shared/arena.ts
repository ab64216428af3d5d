/**
 * The arena: pairwise outcomes between models (a human's compare vote, a committee member's ballot,
 * a checker's verdict, a committee-against-baseline result) and the leaderboard ranked from them.
 * Declared once here (zod + inferred types); the store, the CLI, the RPC and the UI carry these shapes.
 */
import { z } from "zod";

/** Who produced an outcome. */
export const ArenaSource = z.enum(["human", "model", "checker", "baseline"]);
export type ArenaSource = z.infer<typeof ArenaSource>;

/** Which answer won: model a's, model b's, neither (a tie), or neither because both were bad. */
export const PairWinner = z.enum(["a", "b", "tie", "both-bad"]);
export type PairWinner = z.infer<typeof PairWinner>;

/**
 * A model as the arena knows it: by file fingerprint (stable across renames), with its internal
 * name and, where a seat of the lab ran that file, its file name (what people name it by; see
 * shared/names.ts).
 */
export const ArenaModel = z.object({
  fingerprint: z.string().min(1),
  name: z.string(),
  fileName: z.string().min(1).optional(),
});
export type ArenaModel = z.infer<typeof ArenaModel>;

/**
 * One battle record, as Chatbot Arena keeps them. Both sides may be one model file (two samples of
 * one model that a checker told apart): such records are preference data, and the leaderboard skips
 * them since they say nothing about one model against another.
 */
export const PairwiseOutcome = z
  .object({
    a: ArenaModel,
    b: ArenaModel,
    winner: PairWinner,
    source: ArenaSource,
    /** Who judged: `user`, a role with its model, or a checker such as `checker:exact`. */
    judge: z.string().min(1),
    /** Where each answer was shown (0 = first, left); null when nobody was shown them (a checker). */
    positionA: z.number().int().nonnegative().nullable().default(null),
    positionB: z.number().int().nonnegative().nullable().default(null),
    /** Whether the judge saw the answers without knowing which model wrote them. */
    anonymous: z.boolean(),
    sessionId: z.string().min(1).nullable().default(null),
    /** The stored messages that were compared, when they came from a session. */
    messageA: z.string().min(1).nullable().default(null),
    messageB: z.string().min(1).nullable().default(null),
    /** The compare run the vote came from. */
    compareId: z.string().min(1).nullable().default(null),
    /** Both conversations, when they are not stored as messages (compare runs): the prompt and each answer. */
    prompt: z.string().nullable().default(null),
    answerA: z.string().nullable().default(null),
    answerB: z.string().nullable().default(null),
    createdAt: z.number().optional(),
  });
export type PairwiseOutcome = z.output<typeof PairwiseOutcome> & { createdAt: number };
export type PairwiseOutcomeInput = z.input<typeof PairwiseOutcome>;

/** Which outcomes a leaderboard ranks from. */
export const LeaderboardSource = z.enum(["human", "model", "checker", "baseline", "all"]);
export type LeaderboardSource = z.infer<typeof LeaderboardSource>;

export const LeaderboardEntry = z.object({
  model: ArenaModel,
  /** Bradley–Terry rating on the Elo-like scale (mean 1000, 400 points = 10:1 odds). */
  rating: z.number(),
  /** Bootstrap 95% interval of the rating. */
  ci95: z.tuple([z.number(), z.number()]),
  wins: z.number().nonnegative(),
  losses: z.number().nonnegative(),
  /** Ties and "both bad" verdicts. */
  ties: z.number().nonnegative(),
  games: z.number().nonnegative(),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntry>;

/** How far the top two are from being told apart (see the engine's separation estimate). */
export const Separation = z.object({
  first: ArenaModel,
  second: ArenaModel,
  gap: z.number(),
  standardError: z.number(),
  separated: z.boolean(),
  votes: z.number().int().nonnegative(),
  /** About how many more votes separate them; 0 when they already are; null when no number would. */
  moreVotes: z.number().int().nonnegative().nullable(),
});
export type Separation = z.infer<typeof Separation>;

export const Leaderboard = z.object({
  source: LeaderboardSource,
  /** Outcomes ranked from (comparisons of a model with itself excluded). */
  outcomes: z.number().int().nonnegative(),
  /**
   * Outcomes of a model file against itself (a committee and its same-budget baseline on one file):
   * preference data that ranks no model, counted so an empty board can say why it is empty.
   */
  sameModel: z.number().int().nonnegative().default(0),
  resamples: z.number().int().nonnegative(),
  /** Best first. */
  entries: z.array(LeaderboardEntry),
  /** `winRates[i][j]`: how often entry i beat entry j (ties half); null where they never met. */
  winRates: z.array(z.array(z.number().min(0).max(1).nullable())),
  separation: Separation.nullable(),
});
export type Leaderboard = z.infer<typeof Leaderboard>;

/** A human's verdict on a compare run: a column label, a tie, or "both bad". */
export const CompareVerdict = z.union([z.enum(["tie", "both-bad"]), z.string().regex(/^[A-Z]$/, "a column label A–Z, 'tie' or 'both-bad'")]);
export type CompareVerdict = z.infer<typeof CompareVerdict>;
