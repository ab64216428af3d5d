/**
 * What an advice is about: one session, or a series — the sessions of the same committee (the same
 * roles on the same models with the same settings, under the same protocol), such as a task set
 * run as one session per task. A series is named `series-` + 12 hex digits of a hash of that
 * committee, so a session's advice names the series it belongs to and the series can be asked for
 * by that id. {@link runSessionIds} is the one place that maps an id to a series' sessions. An
 * evaluation run's id names the sessions of its tasks, in task order.
 */
import { createHash } from "node:crypto";
import type { JsonValue, SessionInfo } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

export interface AdviceTarget {
  kind: "session" | "series" | "run";
  seriesId: string;
  sessionIds: string[];
}

const SERIES_PREFIX = "series-";

/** Fields of a stored experiment that say who the committee is and how it talks (not what it works on). */
const COMMITTEE_FIELDS = ["roles", "protocol", "context", "state", "preset", "execution", "swaps"] as const;

function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
}

/** The series id of a session's committee. */
export function seriesIdOf(session: Pick<SessionInfo, "experiment">): string {
  const e = session.experiment;
  const committee = e && typeof e === "object" && !Array.isArray(e) ? Object.fromEntries(COMMITTEE_FIELDS.map((k) => [k, e[k] ?? null])) : {};
  return SERIES_PREFIX + createHash("sha256").update(canonical(committee)).digest("hex").slice(0, 12);
}

/** The sessions of series `id`, oldest first (empty when none matches). */
export function runSessionIds(store: SessionStore, id: string): string[] {
  if (!id.startsWith(SERIES_PREFIX)) return [];
  const out: SessionInfo[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = store.listSessions({ limit: 500, offset });
    out.push(...page.filter((s) => seriesIdOf(s) === id));
    if (page.length < 500) break;
  }
  return out.sort((a, b) => a.createdAt - b.createdAt).map((s) => s.id);
}

/** Resolves a session id or a series id; throws a plain error naming what was not found. */
export function resolveAdviceTarget(store: SessionStore, id: string): AdviceTarget {
  const session = store.getSession(id);
  if (session) return { kind: "session", seriesId: seriesIdOf(session), sessionIds: [id] };
  const evaluation = store.evaluations.get(id);
  if (evaluation) {
    const taskSessions = store.evaluations.tasks(id).flatMap((t) => (t.sessionId ? [t.sessionId] : []));
    const first = taskSessions.length > 0 ? store.getSession(taskSessions[0]!) : null;
    if (!first) throw new Error(`evaluation ${id} has no task session yet`);
    return { kind: "run", seriesId: seriesIdOf(first), sessionIds: taskSessions };
  }
  const sessionIds = runSessionIds(store, id);
  if (sessionIds.length === 0) {
    throw new Error(id.startsWith(SERIES_PREFIX) ? `no session belongs to series ${id}` : `no session, series or evaluation run ${id} (a series id starts with '${SERIES_PREFIX}')`);
  }
  return { kind: "series", seriesId: id, sessionIds };
}
