/**
 * Rating a stored message 1–5 stars with an optional note. The store keeps the 0..1 score the quality
 * filters and exports read (see shared/ratings.ts for the scale); the latest rating by a source is the
 * one a message shows, and the quality index averages every rating a message received.
 */
import { RateMessageRequest, scoreToStars, starsToScore } from "../../../../shared/ratings.js";
import type { MessageRating, RateMessageRequest as RateInput } from "../../../../shared/ratings.js";
import type { Rating } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

function withStars(r: Rating): MessageRating {
  return { ...r, stars: scoreToStars(r.score) };
}

/** Validates and records a rating by `source` (default `user`); refuses an unknown message. */
export function rateMessage(store: SessionStore, input: RateInput, source = "user"): MessageRating {
  const parsed = RateMessageRequest.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".") || "rating"}: ${i.message}`).join("; "));
  const { messageId, stars, note } = parsed.data;
  const message = store.getMessage(messageId);
  if (!message) throw new Error(`no message ${messageId}`);
  return withStars(store.recordRating({ sessionId: message.sessionId, messageId, score: starsToScore(stars), source, note }));
}

/** A session's ratings with their star values, oldest first. */
export function sessionRatings(store: SessionStore, sessionId: string): MessageRating[] {
  if (!store.getSession(sessionId)) throw new Error(`no session ${sessionId}`);
  return store.listRatings(sessionId).map(withStars);
}
