/**
 * The full session as one JSON document: the session, its slot assignments, swaps, votes, ratings,
 * per-role statistics and every (filtered) message with its provenance, usage, repairs, routing and
 * quality rating. Votes and ratings are kept when they concern an exported message. Messages stream
 * out one by one, so the document is never built in memory.
 */
import type { ExportContext } from "./context.js";
import { selected, sessionMessages } from "./context.js";
import type { ExportWriter } from "./writer.js";
import { sessionMessageIssues } from "./formatValidators.js";
import { SESSION_JSON_FORMAT } from "./sessionJsonFormat.js";

export { SESSION_JSON_FORMAT } from "./sessionJsonFormat.js";
export const SESSION_JSON_VERSION = 1;

export async function writeSessionJson(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
  const { store, session, request } = ctx;
  const kept = new Set<string>();
  let records = 0;
  let skipped = 0;
  const header = {
    format: SESSION_JSON_FORMAT,
    version: SESSION_JSON_VERSION,
    exportedAt: new Date().toISOString(),
    filters: { roles: request.roles ?? null, types: request.types ?? null, minRating: request.minRating ?? null },
    session,
    assignments: store.listAssignments(session.id),
    swaps: store.listSwaps(session.id),
    roleStats: store.roleStats(session.id),
  };
  await out.write(`${JSON.stringify(header).slice(0, -1)},"messages":[`);
  for (const m of sessionMessages(store, session.id)) {
    if (!selected(ctx, m)) {
      skipped++;
      continue;
    }
    kept.add(m.id);
    const q = ctx.quality.of(m);
    const record = { ...m, rating: q.rating, votesReceived: q.votes };
    ctx.validation.add(sessionMessageIssues(record, records), m.content.length);
    await out.write(`${records > 0 ? "," : ""}\n${JSON.stringify(record)}`);
    records++;
  }
  const votes = store.listVotes(session.id).filter((v) => kept.has(v.targetMessageId));
  const ratings = store.listRatings(session.id).filter((r) => kept.has(r.messageId));
  await out.write(`\n],"votes":${JSON.stringify(votes)},"ratings":${JSON.stringify(ratings)}}\n`);
  return { records, skipped };
}
