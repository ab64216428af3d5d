/**
 * Row shapes of the store's tables and their mapping to the shared types. Rows are trusted on the way
 * out (only the store writes them, after validating with the shared schemas), so reading parses the
 * JSON columns without re-validating: the timeline and the exporters read tens of thousands of rows.
 */
import type {
  JsonValue,
  Message,
  MessageType,
  Metric,
  ProtocolKind,
  Rating,
  SessionInfo,
  SessionStatus,
  SessionSwap,
  SlotAssignment,
  Vote,
} from "../../../../shared/conversation.js";
import type { ModelIdentity, SwapEvent } from "../../../../shared/slots.js";

export interface MessageRow {
  id: string;
  session_id: string;
  seq: number;
  from_role: string;
  to_roles: string;
  type: string;
  content: string;
  references_to: string;
  confidence: number | null;
  provenance: string | null;
  usage: string | null;
  created_at: number;
  round: number | null;
  repairs: string;
  routing: string | null;
  thought: string | null;
  raw_output: string | null;
}

export const MESSAGE_COLUMNS =
  "id, session_id, seq, from_role, to_roles, type, content, references_to, confidence, provenance, usage, created_at, round, repairs, routing, thought, raw_output";

export function messageFromRow(r: MessageRow): Message {
  return {
    id: r.id,
    sessionId: r.session_id,
    seq: r.seq,
    from: r.from_role,
    to: JSON.parse(r.to_roles) as Message["to"],
    type: r.type as MessageType,
    content: r.content,
    referencesTo: JSON.parse(r.references_to) as string[],
    confidence: r.confidence,
    provenance: r.provenance === null ? null : (JSON.parse(r.provenance) as Message["provenance"]),
    usage: r.usage === null ? null : (JSON.parse(r.usage) as Message["usage"]),
    createdAt: r.created_at,
    round: r.round,
    repairs: JSON.parse(r.repairs) as string[],
    routing: r.routing === null ? null : (JSON.parse(r.routing) as Message["routing"]),
    ...(r.thought === null ? {} : { thought: JSON.parse(r.thought) as NonNullable<Message["thought"]> }),
    ...(r.raw_output === null ? {} : { raw: r.raw_output }),
  };
}

/** Per-speaker message figures of one session, in order of first appearance. */
export const ROLE_STATS_SQL = `
  SELECT from_role AS role, count(*) AS messages,
         coalesce(sum(json_extract(usage, '$.promptTokens')), 0) AS promptTokens,
         coalesce(sum(json_extract(usage, '$.completionTokens')), 0) AS completionTokens,
         avg(json_extract(usage, '$.tokensPerSec')) AS avgTokensPerSec,
         avg(json_extract(usage, '$.ttftMs')) AS avgTtftMs,
         avg(confidence) AS avgConfidence
  FROM messages WHERE session_id = ? GROUP BY from_role ORDER BY min(seq)`;

/** Votes received per speaker of one session. */
export const ROLE_VOTES_SQL = `
  SELECT m.from_role AS role, count(*) AS votes, avg(v.score) AS avgScore
  FROM votes v JOIN messages m ON m.id = v.target_message_id
  WHERE v.session_id = ? GROUP BY m.from_role`;

export interface SessionRow {
  id: string;
  title: string;
  task: string;
  protocol_kind: string;
  experiment: string;
  status: string;
  created_at: number;
  updated_at: number;
  message_count: number;
  origin_kind: string | null;
  parent_id: string | null;
  parent_seq: number | null;
}

/** Selects a session with its message count and the time of its latest activity. */
export const SESSION_SELECT = `
  SELECT s.id, s.title, s.task, s.protocol_kind, s.experiment, s.status, s.created_at,
         max(s.updated_at, coalesce((SELECT created_at FROM messages WHERE session_id = s.id ORDER BY seq DESC LIMIT 1), 0)) AS updated_at,
         (SELECT count(*) FROM messages WHERE session_id = s.id) AS message_count,
         s.origin_kind, s.parent_id, s.parent_seq
  FROM sessions s`;

export function sessionFromRow(r: SessionRow): SessionInfo {
  return {
    id: r.id,
    title: r.title,
    task: r.task,
    protocolKind: r.protocol_kind as ProtocolKind,
    experiment: JSON.parse(r.experiment) as JsonValue,
    status: r.status as SessionStatus,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    messageCount: r.message_count,
    // A fork or replay whose parent is gone reads as a session of its own.
    ...(r.origin_kind && r.parent_id ? { origin: { kind: r.origin_kind as "fork" | "replay", sessionId: r.parent_id, atSeq: r.parent_seq } } : {}),
  };
}

export interface VoteRow {
  session_id: string;
  voter: string;
  target_message_id: string;
  score: number | null;
  rank: number | null;
  rank_of: number | null;
  round: number | null;
  rationale: string;
  message_id: string | null;
  created_at: number;
}

export function voteFromRow(r: VoteRow): Vote {
  return {
    sessionId: r.session_id,
    voter: r.voter,
    targetMessageId: r.target_message_id,
    score: r.score,
    rank: r.rank,
    rankOf: r.rank_of,
    round: r.round,
    rationale: r.rationale,
    messageId: r.message_id,
    createdAt: r.created_at,
  };
}

export interface RatingRow {
  session_id: string;
  message_id: string;
  score: number;
  source: string;
  note: string;
  created_at: number;
}

export function ratingFromRow(r: RatingRow): Rating {
  return {
    sessionId: r.session_id,
    messageId: r.message_id,
    score: r.score,
    source: r.source,
    note: r.note,
    createdAt: r.created_at,
  };
}

export interface AssignmentRow {
  session_id: string;
  role: string;
  model: string;
  system_prompt: string | null;
  from_seq: number;
  at: number;
}

export function assignmentFromRow(r: AssignmentRow): SlotAssignment {
  return {
    sessionId: r.session_id,
    role: r.role,
    model: JSON.parse(r.model) as ModelIdentity,
    systemPrompt: r.system_prompt,
    fromSeq: r.from_seq,
    at: r.at,
  };
}

export interface SwapRow {
  session_id: string;
  round: number | null;
  from_seq: number;
  event: string;
}

export function swapFromRow(r: SwapRow): SessionSwap {
  return { sessionId: r.session_id, round: r.round, fromSeq: r.from_seq, event: JSON.parse(r.event) as SwapEvent };
}

export interface MetricRow {
  session_id: string | null;
  name: string;
  value: number;
  role: string | null;
  at: number;
}

export function metricFromRow(r: MetricRow): Metric {
  return { sessionId: r.session_id, name: r.name, value: r.value, role: r.role, at: r.at };
}
