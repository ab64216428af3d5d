/**
 * Pulls the answer out of a message with the experiment's `extract` pattern: the last match counts
 * (reasoning comes before the final answer), and its first capture group when the pattern has one,
 * else the whole match. Without a pattern the whole text is the answer. The result is trimmed; null
 * when the pattern does not match or nothing is left. The pattern runs on the linear-time engine
 * (shared/userPattern.ts): it comes from the experiment file.
 */
import { requireUserPattern } from "../../../../shared/userPattern.js";
export function extractAnswer(text: string, pattern?: string): string | null {
  if (pattern === undefined) return text.trim() || null;
  const last = requireUserPattern(pattern, "extract").lastMatch(text);
  if (!last) return null;
  const value = (last.groups.length > 0 ? last.groups[0] : last.text) ?? "";
  return value.trim() || null;
}
