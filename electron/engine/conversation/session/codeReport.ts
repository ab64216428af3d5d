/**
 * A session's code report (shared/sessionCode.ts) read from the store: the attachments it was given,
 * the artifacts parsed from its messages (against those attachments' paths) and its check outcomes.
 */
import type { SessionCodeReport } from "../../../../shared/sessionCode.js";
import { parseArtifacts } from "./parseArtifacts.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** The report of `sessionId`; throws for an unknown session. */
export function codeReport(store: SessionStore, sessionId: string): SessionCodeReport {
  if (!store.getSession(sessionId)) throw new Error(`no session ${sessionId}`);
  const files = store.attachments;
  const attachments = files.files(sessionId);
  const paths = attachments.map((f) => f.path);
  const resultId = store.results.get(sessionId)?.messageId ?? null;
  const messages: SessionCodeReport["messages"] = [];
  let result: SessionCodeReport["result"] = null;
  for (const m of allMessages(store, sessionId)) {
    if (m.from === "system" || m.from === "user") continue;
    const found = parseArtifacts(m.content, paths).map(({ path, content }) => ({ path, content }));
    const entry = { messageId: m.id, seq: m.seq, from: m.from, files: found };
    if (m.id === resultId) result = entry;
    if (found.length > 0) messages.push(entry);
  }
  const checks = files.checks(sessionId).map((c) => ({ messageId: c.messageId, outcome: c.outcome, createdAt: c.createdAt }));
  return { sessionId, attachments, result, messages, checks };
}
