/**
 * What every export format needs about one session: the session, its parsed request, quality
 * ratings, system prompts, the turn filter, and a paged walk over its messages.
 */
import { codeReport } from "../../conversation/session/codeReport.js";
import type { CodeProvenance } from "./provenance.js";
import type { CommandCheckOutcome } from "../../../../shared/commandCheck.js";
import { ExportRequest } from "../../../../shared/conversation.js";
import type { ExportRequest as ExportRequestInput, Message, ResolvedExportRequest, SessionInfo } from "../../../../shared/conversation.js";
import type { SessionStore } from "../store/sessionStore.js";
import { hasContent, openingTask, SystemPrompts } from "./perspective.js";
import { QualityIndex } from "./quality.js";
import { ProvenanceIndex } from "./provenance.js";
import { ValidationTally } from "./validationReport.js";
import type { ExportWriter } from "./writer.js";
import { ThoughtTally, thoughtHandling } from "./thoughts.js";

/** Reserved speakers that are never a training target. */
export const NON_ROLES = new Set(["user", "system"]);

const PAGE = 5000;

export interface ExportContext {
  store: SessionStore;
  session: SessionInfo;
  request: ResolvedExportRequest;
  quality: QualityIndex;
  prompts: SystemPrompts;
  /** The session's first message (decides whether the task opens each conversation). */
  first: Message | undefined;
  /** The task as an opening user turn, or null. */
  task: string | null;
  /** Speaking roles in order of first appearance (no `user`/`system`). */
  roles: string[];
  /** Per-record provenance (model file, sampling, runtime, vote context). */
  provenance: ProvenanceIndex;
  /** Every written record's check, for the validation report. */
  validation: ValidationTally;
  /** The provenance sidecar of formats that take no extra fields (OpenAI chat and DPO); null otherwise. */
  sidecar: ExportWriter | null;
  /** The trained-on turns' thoughts, as the format carries them. */
  thoughts: ThoughtTally;
}

export function exportContext(store: SessionStore, sessionId: string, input: ExportRequestInput): ExportContext {
  const request = ExportRequest.parse(input);
  const session = store.getSession(sessionId);
  if (!session) throw new Error(`unknown session ${sessionId}`);
  const first = store.listMessages(sessionId, { limit: 1 }).messages[0];
  const quality = new QualityIndex(store.listVotes(sessionId), store.listRatings(sessionId));
  const assignments = store.listAssignments(sessionId);
  return {
    store,
    session,
    request,
    quality,
    prompts: new SystemPrompts(session.experiment, assignments),
    provenance: new ProvenanceIndex(session.id, session.protocolKind, assignments, quality, codeProvenance(store, sessionId)),
    validation: new ValidationTally(),
    sidecar: null,
    thoughts: new ThoughtTally(thoughtHandling(request.format, request.dpoForm)),
    first,
    task: openingTask(session, first),
    roles: store.speakers(sessionId).filter((r) => !NON_ROLES.has(r)),
  };
}

/**
 * Whether message `m` passes the request's filters as a training target (or, for `json`, as an
 * exported message). With `minRating`, unrated messages are left out: no evidence is not quality.
 */
export function selected(ctx: ExportContext, m: Message): boolean {
  const { roles, types, minRating } = ctx.request;
  if (roles && !roles.includes(m.from)) return false;
  if (types && !types.includes(m.type)) return false;
  if (minRating !== undefined) {
    const rating = ctx.quality.of(m).rating;
    if (rating === null || rating < minRating) return false;
  }
  return true;
}

/**
 * Whether `m` can be a role's training turn at all: spoken by a role, with content, and not by the
 * researcher (a human seat's turns are user turns in every export, never assistant targets).
 */
export function isRoleTurn(m: Message): boolean {
  return !NON_ROLES.has(m.from) && hasContent(m) && m.provenance?.human !== true;
}

/** The session's messages in seq order, a page at a time, so no cursor is held across awaits. */
export function* sessionMessages(store: SessionStore, sessionId: string): Generator<Message> {
  for (let after = 0; ; ) {
    const page = store.listMessages(sessionId, { afterSeq: after, limit: PAGE });
    yield* page.messages;
    if (page.nextAfterSeq === null) return;
    after = page.nextAfterSeq;
  }
}

/** A code session's artifacts and last check per message; null for a session without either. */
function codeProvenance(store: ExportContext["store"], sessionId: string): CodeProvenance | null {
  const report = codeReport(store, sessionId);
  if (report.messages.length === 0 && report.checks.length === 0) return null;
  const checks = new Map<string, CommandCheckOutcome>();
  for (const c of report.checks) if (c.messageId) checks.set(c.messageId, c.outcome);
  return { artifacts: new Map(report.messages.map((m) => [m.messageId, m.files.map((f) => f.path)])), checks };
}
