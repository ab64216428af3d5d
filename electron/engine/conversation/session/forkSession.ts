/**
 * Preparing a fork: a new session holding its parent's messages 1..N (new ids, references remapped,
 * the ballots cast and the ratings given on them copied too) and its origin, committed in one
 * transaction, and the model each role sits on at the fork point. The session manager then runs the
 * fork like a resumed session: the plan replays the taken-over messages (conversation/bus/replayQueue.ts) and
 * continues live after message N — with the fork's own experiment, so other models or settings take
 * over from there. No note is added to the transcript: every later message keeps the number (and
 * the `m<seq>` label the roles see) it would have had in the parent, so a fork with the same
 * experiment goes on exactly as its parent did. What the experiment changed is in its lineage.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { JsonValue, Message, SessionInfo } from "../../../../shared/conversation.js";
import { modelRoles, type Experiment } from "../../../../shared/experiment.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { plural } from "../../../../shared/plural.js";

export interface PreparedFork {
  /** The fork, with its taken-over messages and its origin. */
  session: SessionInfo;
  /** The model each role is seated on: the fork's experiment at the fork point's round. */
  seatOn: Map<string, string>;
}

/**
 * Creates the fork of `parent` at message `atSeq` under `experiment` (already validated and
 * resolved, its seed fixed). Throws, naming the field, when `atSeq` is not one of the parent's messages.
 */
export function prepareFork(store: SessionStore, parent: SessionInfo, atSeq: number, experiment: Experiment): PreparedFork {
  const prefix: Message[] = [];
  for (const m of allMessages(store, parent.id)) {
    if (m.seq > atSeq) break;
    prefix.push(m);
  }
  if (prefix.length === 0 || prefix.at(-1)!.seq !== atSeq) {
    throw new Error(`atSeq: session ${parent.id} has ${plural(parent.messageCount, "message")}; a fork point must be one of them (1..${parent.messageCount}), not ${atSeq}`);
  }
  const round = Math.max(0, ...prefix.map((m) => m.round ?? 0));
  const lineage = store.lineage;
  const id = lineage.transaction(() => {
    const session = store.createSession({
      title: experiment.title === titleOf(parent) ? `${parent.title} · fork at #${atSeq}` : experiment.title,
      task: experiment.task,
      protocolKind: experiment.protocol.kind,
      experiment: JSON.parse(JSON.stringify(experiment)) as JsonValue,
      status: "running",
    });
    const ids = new Map<string, string>();
    for (const { seq: _seq, id: oldId, sessionId: _from, ...m } of prefix) {
      const newId = randomUUID();
      ids.set(oldId, newId);
      store.appendMessage({ ...m, id: newId, sessionId: session.id, referencesTo: m.referencesTo.flatMap((r) => ids.get(r) ?? []) });
    }
    // Ballots cast within the prefix, and ratings of its messages, belong to the copies too.
    for (const v of store.listVotes(parent.id)) {
      const ballot = v.messageId === null ? undefined : ids.get(v.messageId);
      const target = ids.get(v.targetMessageId);
      if (ballot && target) store.recordVote({ ...v, sessionId: session.id, targetMessageId: target, messageId: ballot });
    }
    for (const r of store.listRatings(parent.id)) {
      const target = ids.get(r.messageId);
      if (target) store.recordRating({ ...r, sessionId: session.id, messageId: target });
    }
    lineage.setOrigin(session.id, { kind: "fork", sessionId: parent.id, atSeq });
    return session.id;
  });
  return { session: store.getSession(id)!, seatOn: seatsAtRound(experiment, round) };
}

/**
 * The model each role sits on when round `round` is under way: its own, changed by every swap the
 * experiment schedules up to that round (the replay of the taken-over rounds does not redo them).
 */
export function seatsAtRound(experiment: Experiment, round: number): Map<string, string> {
  const seats = new Map(modelRoles(experiment).map((r) => [r.name, r.model]));
  const due = experiment.swaps.filter((s) => s.atRound <= round && seats.has(s.role)).sort((a, b) => a.atRound - b.atRound);
  for (const s of due) seats.set(s.role, s.model);
  return seats;
}

/** What a fork's stored experiment changes from its parent's, in a few words each (the title aside). */
export function experimentChanges(parent: JsonValue, fork: JsonValue): string[] {
  const before = isRecord(parent) ? parent : {};
  const after = isRecord(fork) ? fork : {};
  const rolesOf = (e: { [key: string]: JsonValue }) => new Map((Array.isArray(e.roles) ? e.roles : []).filter(isRecord).map((r) => [String(r.name), r]));
  const was = rolesOf(before);
  const now = rolesOf(after);
  const out: string[] = [];
  for (const [name, r] of now) {
    const old = was.get(name);
    if (!old) out.push(`new role ${name} on ${path.basename(String(r.model))}`);
    else if (old.model !== r.model) out.push(`${name} on ${path.basename(String(r.model))} (was ${path.basename(String(old.model))})`);
    else if (canonical(old) !== canonical(r)) out.push(`${name}'s settings`);
  }
  for (const name of was.keys()) if (!now.has(name)) out.push(`role ${name} removed`);
  for (const key of ["task", "seed", "protocol", "swaps", "context", "types", "budget", "state"]) {
    if (canonical(before[key] ?? null) !== canonical(after[key] ?? null)) out.push(key === "seed" ? `seed ${String(after.seed)}` : key);
  }
  return out;
}

function titleOf(session: SessionInfo): string {
  return isRecord(session.experiment) && typeof session.experiment.title === "string" ? session.experiment.title : session.title;
}

function isRecord(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so key order does not count as a change. */
function canonical(v: JsonValue): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}
