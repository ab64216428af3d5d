/**
 * A session's result: the message that answers its task. Until sessions carry an explicit result
 * marker, this is the protocol's final answer — the last message a member spoke that is not a
 * ballot (the chair's synthesis, the debate's verdict, the last pipeline step, the validation
 * loop's last answer or check, the routed member's answer, a library confirmation) — and, for a
 * side-by-side compare, which has no single final speaker, the vote winner (or its only answer,
 * as when the library's reuse path asked one member to confirm a past answer). Everything that needs
 * "the result" (the solution library, member advice, leave-one-out comparisons) asks here, so a
 * stored marker can replace this rule in one place.
 */
import type { Message } from "../../../shared/conversation.js";
import type { SessionStore } from "../store/sessionStore.js";
import { voteWinner } from "./voteWinner.js";

/** The result message of `sessionId`, or null when it has none (no member spoke, or a compare without a winner). */
export function resultMessage(store: SessionStore, sessionId: string): Message | null {
  const session = store.getSession(sessionId);
  if (!session) return null;
  const answers = store.db
    .prepare<string>(
      "SELECT id FROM messages WHERE session_id = ? AND from_role NOT IN ('user', 'system') AND type <> 'vote' ORDER BY seq DESC LIMIT 2",
    )
    .pluck()
    .all([sessionId]);
  if (session.protocolKind === "compare" && answers.length > 1) {
    const win = voteWinner(store, sessionId);
    return win ? store.getMessage(win.messageId) : null;
  }
  return answers[0] === undefined ? null : store.getMessage(answers[0]);
}
