/**
 * Pulls the answer out of a message with the experiment's `extract` pattern: the last match counts
 * (reasoning comes before the final answer), and its first capture group when the pattern has one,
 * else the whole match. Without a pattern the whole text is the answer. The result is trimmed; null
 * when the pattern does not match or nothing is left.
 */
export function extractAnswer(text: string, pattern?: string): string | null {
  if (pattern === undefined) return text.trim() || null;
  const re = new RegExp(pattern, "gi");
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    last = m;
    if (m[0] === "") re.lastIndex++;
  }
  if (!last) return null;
  const value = (last.length > 1 ? last[1] : last[0]) ?? "";
  return value.trim() || null;
}
