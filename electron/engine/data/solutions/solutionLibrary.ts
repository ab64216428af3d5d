/**
 * Retrieval from the solution library: the past sessions whose task is most like a new one
 * (full-text similarity, BM25 scaled to 0..1 against the task itself; data/search/similarPast.ts) and
 * whose result succeeded (successEvidence.ts), best first, each with its provenance: the past
 * session and result message, the evidence, the model behind the answer and how long the past
 * session took to generate. Only completed sessions count; an unfinished one has no result.
 */
import { LIBRARY_DEFAULTS, type LibraryPath, type LibrarySpec, type RetrievedItem } from "../../../../shared/solutionLibrary.js";
import { sessionSearch } from "../search/sessionSearch.js";
import type { SessionStore } from "../store/sessionStore.js";
import { sessionSuccess } from "./successEvidence.js";

/** The library's settings with defaults filled in. */
export interface LibrarySettings {
  topK: number;
  minScore: number;
  reuseAt: number;
}

export function librarySettings(spec: LibrarySpec): LibrarySettings {
  return {
    topK: spec.topK ?? LIBRARY_DEFAULTS.topK,
    minScore: spec.minScore ?? LIBRARY_DEFAULTS.minScore,
    reuseAt: spec.reuseAt ?? LIBRARY_DEFAULTS.reuseAt,
  };
}

export interface Retrieval {
  path: LibraryPath;
  /** The best similarity among successful past results (0 when there is none). */
  bestSimilarity: number;
  /** What is offered: the best one for reuse, up to `topK` for adapt, none for fresh. */
  items: RetrievedItem[];
}

/** How many similar tasks are looked at for every one offered: most past sessions are not successes. */
const CANDIDATES_PER_ITEM = 10;

/** The successful past results most similar to `task`, best first, at most `limit` (no similarity floor). */
export function successfulSimilar(store: SessionStore, task: string, limit: number, exclude: readonly string[] = []): RetrievedItem[] {
  const hits = sessionSearch(store).similar(task, {
    limit: Math.max(50, limit * CANDIDATES_PER_ITEM),
    kinds: ["task"],
    excludeSessionIds: exclude,
    perSession: true,
  });
  const out: RetrievedItem[] = [];
  for (const hit of hits) {
    const session = store.getSession(hit.sessionId);
    if (!session || session.status !== "completed") continue;
    const success = sessionSuccess(store, session.id);
    // An empty answer (a turn cut off before any content) has nothing to offer.
    if (!success || !success.message.content.trim()) continue;
    const m = success.message;
    const duration = store.listMetrics(session.id, "session.durationMs").at(-1)?.value ?? null;
    out.push({
      messageId: null,
      similarity: hit.similarity,
      sourceSessionId: session.id,
      sourceTitle: session.title,
      sourceTask: session.task,
      sourceMessageId: m.id,
      sourceFrom: m.from,
      answer: m.content,
      basis: success.basis,
      evidence: success.evidence,
      model: m.provenance ? { name: m.provenance.modelName, fingerprint: m.provenance.fingerprint } : null,
      generationMs: duration,
      createdAt: session.createdAt,
    });
    if (out.length === limit) break;
  }
  return out;
}

/** What the library offers for `task` under `settings`, and the path it decides (see shared/solutionLibrary.ts). */
export function retrieve(store: SessionStore, task: string, settings: LibrarySettings, exclude: readonly string[] = []): Retrieval {
  const found = successfulSimilar(store, task, settings.topK, exclude);
  const best = found[0]?.similarity ?? 0;
  const offered = found.filter((i) => i.similarity >= settings.minScore);
  if (offered.length === 0) return { path: "fresh", bestSimilarity: best, items: [] };
  if (best >= settings.reuseAt) return { path: "reuse", bestSimilarity: best, items: [offered[0]!] };
  return { path: "adapt", bestSimilarity: best, items: offered };
}
