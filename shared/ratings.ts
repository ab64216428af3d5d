/**
 * Ratings of messages on one scale. The store, the quality filters (`--min-rating`) and every export
 * keep ratings as a score in 0..1. People rate 1–5 stars; a star rating s is stored as the score
 * (s − 1) / 4, so 1 star = 0, 3 stars = 0.5, 5 stars = 1, and `--min-rating 0.75` keeps messages
 * rated 4 stars or more.
 */
import { z } from "zod";

export const Stars = z.number().int().min(1, "a rating is 1 to 5 stars").max(5, "a rating is 1 to 5 stars");
export type Stars = z.infer<typeof Stars>;

/** The stored 0..1 score of a star rating. */
export function starsToScore(stars: Stars): number {
  return (stars - 1) / 4;
}

/** The nearest star rating of a stored 0..1 score. */
export function scoreToStars(score: number): Stars {
  return Math.min(5, Math.max(1, Math.round(score * 4) + 1));
}

/** Rate one message. */
export const RateMessageRequest = z.object({
  messageId: z.string().min(1),
  stars: Stars,
  note: z.string().max(4000).default(""),
});
export type RateMessageRequest = z.input<typeof RateMessageRequest>;

/** A stored rating as the UI and the CLI show it. */
export const MessageRating = z.object({
  sessionId: z.string().min(1),
  messageId: z.string().min(1),
  /** 0..1, the stored scale. */
  score: z.number().min(0).max(1),
  stars: Stars,
  source: z.string(),
  note: z.string(),
  createdAt: z.number(),
});
export type MessageRating = z.infer<typeof MessageRating>;
