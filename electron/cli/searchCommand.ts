/**
 * `conclave search "<query>" [--db FILE] [--limit N] [--kinds task,message,result] [--json]`:
 * full-text search over every stored session, best BM25 match first. Each hit names the session
 * (its id works with `conclave export`), the message and a snippet with the matched words marked.
 * A query with no words, or a bad option, prints one line and exits 2.
 */
import { parseArgs } from "node:util";
import { SearchKind, type SearchHit, type SearchResult } from "../../shared/search.js";
import { SearchQueryError, parseSearchQuery } from "../engine/engineTools.js";
import { openEngineStore } from "../engine/openEngineStore.js";

/** Matched words: reverse video on a terminal, «guillemets» in a pipe or file. */
function marker(tty: boolean): (text: string) => string {
  return tty ? (t) => `\x1b[7m${t}\x1b[27m` : (t) => `«${t}»`;
}

function where(hit: SearchHit): string {
  if (hit.kind === "task") return "title or task";
  return `${hit.kind === "result" ? "result" : "message"} #${hit.seq} from ${hit.from} (${hit.type})`;
}

/** The hits as text, one block each. */
export function formatHits(result: SearchResult, tty = false): string {
  if (result.hits.length === 0) return `no sessions match ${result.terms.join(" ")}\n`;
  const mark = marker(tty);
  const lines = result.hits.map((h, i) => {
    const snippet = h.snippet.map((p) => (p.hit ? mark(p.text) : p.text)).join("").replace(/\s+/g, " ").trim();
    return `${i + 1}. ${h.sessionTitle}  [${h.sessionId}]  ${where(h)}  score ${h.score.toPrecision(3)}\n   ${snippet}\n`;
  });
  const note = result.truncated ? `(a very common query: only the newest ${result.rankedWindow} matching messages were ranked)\n` : "";
  return lines.join("") + note;
}

/** Runs the command; resolves to the exit code. */
export async function searchCommand(args: string[], defaultDb: string): Promise<number> {
  let query;
  let values;
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { db: { type: "string" }, limit: { type: "string" }, kinds: { type: "string" }, json: { type: "boolean" } },
    });
    values = parsed.values;
    const kinds = values.kinds?.split(",").map((k) => k.trim()).filter(Boolean);
    const badKind = kinds?.find((k) => !SearchKind.safeParse(k).success);
    if (badKind !== undefined) throw new SearchQueryError(`--kinds: "${badKind}" is not one of ${SearchKind.options.join(", ")}`);
    query = parseSearchQuery({
      query: parsed.positionals.join(" "),
      ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
      ...(kinds ? { kinds: kinds as SearchKind[] } : {}),
    });
  } catch (error) {
    if (!(error instanceof SearchQueryError) && !(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    process.stderr.write(`error: ${(error as Error).message.replace(/^(limit|kinds):/, "--$1:")}\nusage: conclave search "<query>" [--db FILE] [--limit N] [--kinds task,message,result] [--json]\n`);
    return 2;
  }
  const store = openEngineStore(values.db ?? defaultDb);
  try {
    const result = store.search.sessions(query);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatHits(result, process.stdout.isTTY === true));
    return 0;
  } catch (error) {
    if (!(error instanceof SearchQueryError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  } finally {
    store.close();
  }
}
