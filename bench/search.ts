/**
 * Search benchmark for `bench/results.json` (`searchP99Ms`): full-text search over 100,000 stored
 * messages, the whole user path (query parsing, BM25 ranking, hit details and snippets), p99 over
 * a mix of queries — rare and common words, pairs, phrases, prefixes, and words in nearly every
 * message (the worst case, ranked over the newest matches). Baselines from the same run on the
 * same file: a plain `LIKE` scan for the same words (what a search without the index costs) and
 * one indexed lookup of a message by id (the floor of any query).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../shared/prng.js";
import { sessionSearch } from "../electron/engine/search/sessionSearch.js";
import { parseTerms } from "../electron/engine/search/ftsQuery.js";
import { openStore } from "../electron/engine/store/sessionStore.js";

export interface SearchFigure {
  /** p99 of the search, ms. */
  ms: number;
  medianMs: number;
  likeP99Ms: number;
  likeMedianMs: number;
  lookupP99Ms: number;
  messages: number;
  queries: number;
  buildMs: number;
  /** p99 of appending one message with the index kept by its trigger, on the full store. */
  appendP99Ms: number;
  note: string;
}

const COMMON = ["the", "committee", "proposal", "agree", "model", "answer", "story", "robot", "plan", "vote"];

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** A made-up vocabulary with a Zipf-like spread, so some words are rare and some everywhere. */
function vocabulary(random: () => number, size: number): string[] {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const words = new Set<string>();
  while (words.size < size) {
    let w = "";
    const n = 3 + Math.floor(random() * 7);
    for (let i = 0; i < n; i++) w += letters[Math.floor(random() * 26)];
    words.add(w);
  }
  return [...words];
}

export async function benchSearchP99Ms(messages = 100_000, queries = 400): Promise<SearchFigure> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-search-"));
  const random = mulberry32(12);
  const vocab = vocabulary(random, 20_000);
  const word = (): string => (random() < 0.3 ? COMMON[Math.floor(random() * COMMON.length)]! : vocab[Math.floor(random() ** 3 * vocab.length)]!);
  const sentence = (n: number): string => Array.from({ length: n }, word).join(" ");
  try {
    const store = openStore(join(dir, "search.db"));
    const perSession = 100;
    const t0 = performance.now();
    store.database.transaction(() => {
      for (let s = 0; s < messages / perSession; s++) {
        const session = store.createSession({ title: sentence(4), task: sentence(12), protocolKind: "roundtable", experiment: {} });
        for (let i = 0; i < perSession; i++) {
          store.appendMessage({ sessionId: session.id, from: i % 2 ? "critic" : "analyzer", to: "all", type: i % 10 === 9 ? "answer" : "analysis", content: `${sentence(20 + Math.floor(random() * 50))}.` });
        }
      }
    })();
    const buildMs = performance.now() - t0;

    const last = store.lastSession()!;
    const appends: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const a0 = performance.now();
      store.appendMessage({ sessionId: last.id, from: "critic", to: "all", type: "critique", content: sentence(40) });
      appends.push(performance.now() - a0);
    }

    const mix = (): string => {
      const r = random();
      const rare = (): string => vocab[Math.floor(random() * vocab.length)]!;
      if (r < 0.35) return rare();
      if (r < 0.6) return `${word()} ${rare()}`;
      if (r < 0.75) return COMMON[Math.floor(random() * COMMON.length)]!;
      if (r < 0.85) return `"${word()} ${word()}"`;
      if (r < 0.95) return `${rare().slice(0, 3)}*`;
      return `${COMMON[0]} ${COMMON[1]}`;
    };
    const search = sessionSearch(store);
    const list = Array.from({ length: queries }, mix);
    for (const q of list.slice(0, 20)) search.search({ query: q });
    const times: number[] = [];
    for (const q of list) {
      const q0 = performance.now();
      search.search({ query: q, limit: 20 });
      times.push(performance.now() - q0);
    }

    // Without the index: every word as a LIKE over the content, as a search box would do it.
    const like = list.slice(0, 60).map((q) => {
      const words = parseTerms(q).map((t) => `%${t.text}%`);
      const sql = `SELECT id, session_id, content FROM messages WHERE ${words.map(() => "content LIKE ?").join(" AND ")} LIMIT 20`;
      const stmt = store.database.prepare(sql);
      const l0 = performance.now();
      stmt.all(words);
      return performance.now() - l0;
    });
    const ids = store.database.prepare<string>("SELECT id FROM messages ORDER BY random() LIMIT 400").pluck().all();
    const byId = store.database.prepare("SELECT id, session_id, content FROM messages WHERE id = ?");
    const lookups = ids.map((id) => {
      const k0 = performance.now();
      byId.get([id]);
      return performance.now() - k0;
    });
    store.close();
    return {
      ms: percentile(times, 0.99),
      medianMs: percentile(times, 0.5),
      likeP99Ms: percentile(like, 0.99),
      likeMedianMs: percentile(like, 0.5),
      lookupP99Ms: percentile(lookups, 0.99),
      messages,
      queries,
      buildMs,
      appendP99Ms: percentile(appends, 0.99),
      note: `p99 of ${queries} searches (rare and common words, pairs, phrases, prefixes) over ${messages} messages in ${messages / perSession} sessions`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
