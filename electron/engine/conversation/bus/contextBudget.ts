/**
 * Keeps a role's conversation within its budget under the experiment's stated policy.
 *
 * - `drop-oldest`: nothing is rewritten; {@link roleView} leaves the oldest messages out and the
 *   caller records how many (a metric per turn, a system message the first time).
 * - `summarize`: when the role's unsummarized visible conversation outgrows its budget, the oldest
 *   messages are folded into one `summary` message from `system` to that role, so the next view
 *   needs only half the budget. The digest is extractive — speaker, type, label and the opening of
 *   each message, after the previous summary's text — so it costs no model time, is deterministic,
 *   and never invents content. The summary cites every message it folds (`referencesTo`), which is
 *   how views and exports know where it ends.
 */
import type { Message } from "../../../../shared/conversation.js";
import { isVisibleTo, type Outgoing } from "./ConversationBus.js";
import { coveredUpTo, estimateTokens, labelOf, latestSummaryFor } from "./perspective.js";
import { plural } from "../../../../shared/plural.js";

/** Characters of each folded message the digest keeps. */
const EXCERPT_CHARS = 80;

/**
 * The summary to send for `role` when its conversation is over `budgetTokens` (null when it fits).
 * `reserveTokens` is what the rest of the view needs (system prompt, task, instruction).
 */
export function summaryFor(all: readonly Message[], role: string, budgetTokens: number, reserveTokens: number): Outgoing | null {
  const previous = latestSummaryFor(all, role);
  const floor = previous ? coveredUpTo(previous, all) : 0;
  const open = all.filter((m) => m.seq > floor && m !== previous && m.from !== "user" && isVisibleTo(m, role));
  const cost = (m: Message) => estimateTokens(m.content) + 4;
  const available = budgetTokens - reserveTokens - (previous ? estimateTokens(previous.content) : 0);
  const total = open.reduce((s, m) => s + cost(m), 0);
  if (total <= available || open.length < 2) return null;

  // Fold the oldest messages until what stays needs at most half the budget.
  let remaining = total;
  let n = 0;
  while (n < open.length - 1 && remaining > available / 2) remaining -= cost(open[n++]!);
  const folded = open.slice(0, n);
  const lines = folded.map((m) => {
    const text = m.content.replace(/\s+/g, " ").trim();
    return `${labelOf(m)} ${m.from} ${m.type}: ${text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text}`;
  });
  // The digest itself must stay small: keep its newest lines within a quarter of the budget.
  const maxChars = Math.max(200, Math.floor(budgetTokens / 4) * 3);
  let body = [previous ? `Earlier: ${previous.content}` : null, ...lines].filter((l): l is string => l !== null).join("\n");
  if (body.length > maxChars) body = `…${body.slice(body.length - maxChars)}`;
  const first = folded[0]!;
  const last = folded.at(-1)!;
  return {
    from: "system",
    to: [role],
    type: "summary",
    content: `Summary of ${labelOf(first)}–${labelOf(last)} (${plural(folded.length, "message")}, policy summarize):\n${body}`,
    referencesTo: [...(previous ? [previous.id] : []), ...folded.map((m) => m.id)],
  };
}
