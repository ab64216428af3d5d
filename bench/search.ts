/**
 * Search benchmark for `bench/results.json` (`searchP99Ms`): full-text search over 100,000 stored
 * messages, the whole user path (query parsing, BM25 ranking, hit details and snippets).
 *
 * The messages are drawn from a 20,000-word vocabulary with Zipf's law (s = 1, as in natural
 * text), so the top words are in nearly every message and most words are rare. The queries are
 * what someone looking for a past session types: one to three words remembered from a stored
 * message, a two-word phrase from one, or a prefix — leaving out the 50 most frequent words (each
 * in most messages, nobody's search term). `searchP99Ms` is the p99 over that mix. The stop-word
 * queries nobody should need — a top-10 word alone, two of them, a phrase of two — are measured
 * apart and reported in the details, not hidden in the mix.
 *
 * Baselines from the same run on the same file: a plain `LIKE` scan for the same words (a search
 * without the index) and one indexed lookup of a message by id (the floor of any query).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../shared/prng.js";
import { sessionSearch } from "../electron/engine/data/search/sessionSearch.js";
import { parseTerms } from "../electron/engine/data/search/ftsQuery.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { dropMessageIndexTrigger, restoreMessageIndex, scanBaselines, truncateWal } from "../electron/engine/data/store/test/benchBaselines.js";

export interface SearchFigure {
  /** p99 of the search over the query mix, ms. */
  ms: number;
  medianMs: number;
  /** The same searches in CPU time of this process: their own cost, without waiting for a core. */
  cpuP99Ms: number;
  cpuMedianMs: number;
  likeP99Ms: number;
  likeMedianMs: number;
  lookupP99Ms: number;
  /** p99 per kind of query, the stop-word cases included. */
  byKind: Record<string, { p99Ms: number; medianMs: number; queries: number }>;
  messages: number;
  queries: number;
  buildMs: number;
  /** p99 of appending one message with the index kept by its trigger, on the full store. */
  appendP99Ms: number;
  /** The same without the index's trigger. */
  appendWithoutIndexP99Ms: number;
  /** CPU time of an append with and without the index. */
  appendCpuMedianMs: number;
  appendWithoutIndexCpuMedianMs: number;
  appendCpuP99Ms: number;
  appendWithoutIndexCpuP99Ms: number;
  /** 1-minute load average when the run ended (other work on the machine inflates tail latencies). */
  loadAverage: number;
  note: string;
}

const VOCABULARY = 20_000;
/** The most frequent words, left out of the query mix. */
const STOP_RANKS = 50;

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Distinct made-up words; index = frequency rank. */
function vocabulary(random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    let w = "";
    const n = 2 + Math.floor(random() * 8);
    for (let i = 0; i < n; i++) w += String.fromCharCode(97 + Math.floor(random() * 26));
    words.add(w);
  }
  return [...words];
}

/** Samples word ranks by Zipf's law (weight 1/rank). */
function zipf(random: () => number): () => number {
  const cumulative = new Float64Array(VOCABULARY);
  let sum = 0;
  for (let r = 0; r < VOCABULARY; r++) cumulative[r] = sum += 1 / (r + 1);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = VOCABULARY - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** CPU time (ms) this process spent in each run, next to the wall time: what the runs cost themselves. */
const cpu: number[] = [];

function timeAll(run: (q: string) => void, queries: string[]): number[] {
  cpu.length = 0;
  return queries.map((q) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run(q);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return wall;
  });
}

export async function benchSearchP99Ms(messages = 100_000, queries = 500): Promise<SearchFigure> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-search-"));
  const random = mulberry32(12);
  const vocab = vocabulary(random);
  const rank = zipf(random);
  const text = (n: number): number[] => Array.from({ length: n }, rank);
  const say = (ranks: number[]): string => ranks.map((r) => vocab[r]).join(" ");
  const remembered: number[][] = [];
  try {
    const store = openStore(join(dir, "search.db"));
    const perSession = 100;
    const t0 = performance.now();
    store.transaction(() => {
      for (let s = 0; s < messages / perSession; s++) {
        const session = store.createSession({ title: say(text(4)), task: say(text(14)), protocolKind: "roundtable", experiment: {} });
        for (let i = 0; i < perSession; i++) {
          const words = text(20 + Math.floor(random() * 50));
          if (i % 50 === 7) remembered.push(words);
          store.appendMessage({ sessionId: session.id, from: i % 2 ? "critic" : "analyzer", to: "all", type: i % 10 === 9 ? "answer" : "analysis", content: `${say(words)}.` });
        }
      }
    });
    const buildMs = performance.now() - t0;
    // One transaction wrote the whole store; a working store's WAL is checkpointed as it goes, so
    // the backlog is cleared here rather than by the background checkpointer during the measurement.
    truncateWal(store);

    // What the index costs each append: the same appends with its trigger, then (on this throwaway
    // file) without it.
    const last = store.lastSession()!;
    const append = (content: string): void => void store.appendMessage({ sessionId: last.id, from: "critic", to: "all", type: "critique", content });
    const appends = timeAll(append, Array.from({ length: 1000 }, () => say(text(40))));
    const appendCpu = [...cpu];
    dropMessageIndexTrigger(store);
    const plainAppends = timeAll(append, Array.from({ length: 1000 }, () => say(text(40))));
    const plainAppendCpu = [...cpu];
    restoreMessageIndex(store);

    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const content = (words: number[]): number[] => words.filter((r) => r >= STOP_RANKS);
    const kinds: Record<string, () => string> = {
      word: () => vocab[pick(content(pick(remembered)))]!,
      words: () => {
        const m = content(pick(remembered));
        return [...new Set(Array.from({ length: 2 + Math.floor(random() * 2) }, () => vocab[pick(m)]!))].join(" ");
      },
      phrase: () => {
        const m = pick(remembered);
        const at = m.findIndex((r, i) => i > 0 && r >= STOP_RANKS && random() < 0.3);
        return `"${say(m.slice(Math.max(0, at - 1), Math.max(0, at - 1) + 2))}"`;
      },
      prefix: () => `${vocab[pick(content(pick(remembered)))]!.slice(0, 4)}*`,
    };
    const mixKinds = ["word", "word", "word", "word", "words", "words", "words", "phrase", "phrase", "prefix"];
    const list = Array.from({ length: queries }, () => {
      const kind = pick(mixKinds);
      return { kind, query: kinds[kind]!() };
    });
    const stops = (n: number): string[] => Array.from({ length: n }, () => vocab[Math.floor(random() * 10)]!);
    const worst: Record<string, string[]> = {
      "stop word": Array.from({ length: 30 }, () => stops(1)[0]!),
      "two stop words": Array.from({ length: 30 }, () => stops(2).join(" ")),
      "stop-word phrase": Array.from({ length: 30 }, () => `"${stops(2).join(" ")}"`),
    };

    const search = sessionSearch(store);
    const run = (query: string): void => void search.search({ query, limit: 20 });
    timeAll(run, list.slice(0, 30).map((q) => q.query));
    const times = timeAll(run, list.map((q) => q.query));
    const cpuTimes = [...cpu];
    const byKind: SearchFigure["byKind"] = {};
    for (const kind of Object.keys(kinds)) {
      const t = times.filter((_, i) => list[i]!.kind === kind);
      byKind[kind] = { p99Ms: percentile(t, 0.99), medianMs: percentile(t, 0.5), queries: t.length };
    }
    for (const [kind, qs] of Object.entries(worst)) {
      const t = timeAll(run, qs);
      byKind[kind] = { p99Ms: percentile(t, 0.99), medianMs: percentile(t, 0.5), queries: t.length };
    }

    // Without the index: every word as a LIKE over the content, as a search box would do it.
    const baselines = scanBaselines(store);
    const like = list.slice(0, 60).map(({ query }) => {
      const words = parseTerms(query).map((t) => `%${t.text}%`);
      const l0 = performance.now();
      baselines.likeScan(words);
      return performance.now() - l0;
    });
    const lookups = timeAll((id) => baselines.lookup(id), baselines.randomIds(500));
    baselines.close();
    store.close();
    return {
      ms: percentile(times, 0.99),
      medianMs: percentile(times, 0.5),
      cpuP99Ms: percentile(cpuTimes, 0.99),
      cpuMedianMs: percentile(cpuTimes, 0.5),
      likeP99Ms: percentile(like, 0.99),
      likeMedianMs: percentile(like, 0.5),
      lookupP99Ms: percentile(lookups, 0.99),
      byKind,
      messages,
      queries,
      buildMs,
      appendP99Ms: percentile(appends, 0.99),
      appendWithoutIndexP99Ms: percentile(plainAppends, 0.99),
      appendCpuMedianMs: percentile(appendCpu, 0.5),
      appendWithoutIndexCpuMedianMs: percentile(plainAppendCpu, 0.5),
      appendCpuP99Ms: percentile(appendCpu, 0.99),
      appendWithoutIndexCpuP99Ms: percentile(plainAppendCpu, 0.99),
      loadAverage: loadavg()[0] ?? NaN,
      note: `p99 of ${queries} searches (words, word pairs/triples, phrases and prefixes remembered from stored messages, top-${STOP_RANKS} words left out) over ${messages} Zipf-distributed messages in ${messages / perSession} sessions`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
