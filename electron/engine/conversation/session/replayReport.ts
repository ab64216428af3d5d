/**
 * A replay's report over its life: opened with the warnings when the replay starts (so they are
 * there before anything runs), and completed with the comparison when it ends.
 */
import type { SessionStatus } from "../../../../shared/conversation.js";
import type { ReplayReport, ReplayWarning } from "../../../../shared/lineage.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { compareTranscripts } from "./compareTranscripts.js";

/** Stores the report of replay `replayId` of `sourceId` as running, with its warnings. */
export function openReplayReport(store: SessionStore, sourceId: string, replayId: string, warnings: ReplayWarning[]): ReplayReport {
  const now = Date.now();
  return store.lineage.saveReport({
    sessionId: replayId,
    sourceId,
    state: "running",
    replayStatus: null,
    warnings,
    compared: { source: 0, replay: 0 },
    matched: 0,
    differing: 0,
    sourceOnly: 0,
    replayOnly: 0,
    firstDivergence: null,
    createdAt: now,
    updatedAt: now,
  });
}

/** Compares the ended replay with its source and stores the result. */
export function closeReplayReport(store: SessionStore, replayId: string, status: SessionStatus): ReplayReport {
  const lineage = store.lineage;
  const open = lineage.report(replayId);
  if (!open) throw new Error(`session ${replayId} is not a replay`);
  const comparison = compareTranscripts(allMessages(store, open.sourceId), allMessages(store, replayId));
  return lineage.saveReport({ ...open, ...comparison, state: "done", replayStatus: status, updatedAt: Date.now() });
}
