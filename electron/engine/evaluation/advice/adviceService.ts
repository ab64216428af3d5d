/**
 * Member contribution and pruning advice, as every front end asks for it (`conclave advise`, the
 * `advice.get` RPC, the UI's "Member contribution" section): resolve the target (a session or a
 * series), compute each member's figures, optionally re-run a sample without each member, and
 * recommend. Nothing here changes a committee.
 */
import { AdviceRequest, type Advice, type AdviceRequestInput } from "../../../../shared/advice.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { resolveAdviceTarget } from "./adviceTarget.js";
import { leaveOneOut, type SessionStarter } from "./leaveOneOut.js";
import { memberFigures } from "./memberFigures.js";
import { THRESHOLDS, recommend } from "./recommend.js";

export interface AdviceService {
  advise(request: AdviceRequestInput, progress?: (line: string) => void): Promise<Advice>;
}

export function adviceService(store: SessionStore, sessions: SessionStarter): AdviceService {
  return {
    async advise(input, progress) {
      const parsed = AdviceRequest.safeParse(input);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "));
      const { target, leaveOneOut: sample } = parsed.data;
      const resolved = resolveAdviceTarget(store, target);
      const figures = memberFigures(store, resolved.sessionIds, THRESHOLDS.duplicateSimilarity);
      const notes: string[] = [];
      if (figures.length === 0) notes.push("no member has spoken in these sessions yet");
      if (sample > 0 && figures.length > 1) {
        const loo = await leaveOneOut(store, sessions, resolved.sessionIds, figures.map((f) => f.member), sample, progress);
        for (const f of figures) f.leaveOneOut = loo.get(f.member) ?? null;
        notes.push(`leave-one-out: up to ${sample} session${sample === 1 ? "" : "s"} re-run once without each member`);
      }
      if (resolved.kind === "run") notes.push(`the ${resolved.sessionIds.length} task session${resolved.sessionIds.length === 1 ? "" : "s"} of evaluation ${target} so far`);
      if (resolved.kind === "session") notes.push(`this session belongs to ${resolved.seriesId}; advise that id for every session of the same committee`);
      return {
        target,
        kind: resolved.kind,
        seriesId: resolved.seriesId,
        sessionIds: resolved.sessionIds,
        members: recommend(figures),
        thresholds: THRESHOLDS,
        notes,
      };
    },
  };
}
