/**
 * The `library_uses` table (migration 8): what the solution library did for each session — a
 * repository over the session store's database, validated with the shared schema on the way in
 * and out.
 */
import { z } from "zod";
import { LibraryPath, LibraryUse, RetrievedItem } from "../../../../shared/solutionLibrary.js";
import type { Database, Statement } from "./sqlite.js";

interface Row {
  session_id: string;
  path: string;
  best_similarity: number;
  items: string;
  settings: string;
  hit: number;
  hit_rate: number;
  saved_ms: number | null;
  created_at: number;
}

const Settings = z.object({ topK: z.number(), minScore: z.number(), reuseAt: z.number() });

function fromRow(r: Row): LibraryUse {
  const settings = Settings.parse(JSON.parse(r.settings));
  return LibraryUse.parse({
    sessionId: r.session_id,
    path: LibraryPath.parse(r.path),
    bestSimilarity: r.best_similarity,
    items: z.array(RetrievedItem).parse(JSON.parse(r.items)),
    ...settings,
    hit: r.hit === 1 ? 1 : 0,
    hitRate: r.hit_rate,
    savedMs: r.saved_ms,
    createdAt: r.created_at,
  });
}

export class LibraryUseStore {
  private readonly insert: Statement;
  private readonly byId: Statement<Row>;
  private readonly setItems: Statement;
  private readonly setSaved: Statement;
  private readonly counts: Statement<{ n: number; hits: number | null }>;

  constructor(db: Database) {
    this.insert = db.prepare(
      "INSERT INTO library_uses (session_id, path, best_similarity, items, settings, hit, hit_rate, saved_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
    );
    this.byId = db.prepare("SELECT * FROM library_uses WHERE session_id = ?");
    this.setItems = db.prepare("UPDATE library_uses SET items = ? WHERE session_id = ?");
    this.setSaved = db.prepare("UPDATE library_uses SET saved_ms = ? WHERE session_id = ?");
    this.counts = db.prepare("SELECT count(*) AS n, sum(hit) AS hits FROM library_uses");
  }

  /** Records a session's retrieval; the hit rate counts this session with every earlier one. */
  record(use: Omit<LibraryUse, "hitRate" | "savedMs" | "createdAt">): LibraryUse {
    const parsed = LibraryUse.omit({ hitRate: true, savedMs: true, createdAt: true }).parse(use);
    const before = this.counts.get() ?? { n: 0, hits: 0 };
    const hitRate = (Number(before.hits ?? 0) + parsed.hit) / (before.n + 1);
    const createdAt = Date.now();
    this.insert.run([
      parsed.sessionId,
      parsed.path,
      parsed.bestSimilarity,
      JSON.stringify(parsed.items),
      JSON.stringify({ topK: parsed.topK, minScore: parsed.minScore, reuseAt: parsed.reuseAt }),
      parsed.hit,
      hitRate,
      createdAt,
    ]);
    return { ...parsed, hitRate, savedMs: null, createdAt };
  }

  get(sessionId: string): LibraryUse | null {
    const row = this.byId.get([sessionId]);
    return row ? fromRow(row) : null;
  }

  /** The offered items once their messages are sent (each with its message id). */
  updateItems(sessionId: string, items: readonly RetrievedItem[]): void {
    this.setItems.run([JSON.stringify(z.array(RetrievedItem).parse(items)), sessionId]);
  }

  recordSaved(sessionId: string, savedMs: number): void {
    this.setSaved.run([savedMs, sessionId]);
  }
}
