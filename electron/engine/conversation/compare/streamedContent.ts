/**
 * The readable part of a typed turn while it streams: the value of its `content` field, decoded as
 * far as it has arrived. A compare column shows this instead of the raw JSON; the finished message
 * replaces it with the parsed content.
 */
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };

export function streamedContent(raw: string): string {
  // Compare columns ask for plain answers; only a model that writes JSON anyway needs decoding.
  if (!raw.trimStart().startsWith("{")) return raw.trimStart();
  const start = /"content"\s*:\s*"/.exec(raw);
  if (!start) return "";
  let out = "";
  for (let i = start.index + start[0].length; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') break;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) break;
    if (next === "u") {
      const hex = raw.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
    } else {
      out += ESCAPES[next] ?? next;
      i += 1;
    }
  }
  return out;
}
