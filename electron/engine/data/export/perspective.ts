/**
 * How a role sees the conversation, the mapping every export shares:
 *  - a role sees a message when it spoke it, when it went to `all`, or when the role is among `to`;
 *  - its own messages are assistant turns; `user` messages are plain user turns; every other
 *    speaker's (other roles and the `system` orchestrator) are user turns carrying `name: <speaker>`;
 *  - the session task opens the conversation as a user turn, unless the session's first message
 *    already came from `user` (then the bus recorded the task itself);
 *  - the context is the last `contextMessages` visible messages (the drop-oldest policy); the latest
 *    visible `summary` that fell out of that window is kept at its start, so what was compressed away
 *    is still represented.
 * The system prompt of a role is the one its slot assignment carried at that point, else the
 * experiment's `roles[].system`.
 */
import { z } from "zod";
import type { JsonValue, Message, SessionInfo, SlotAssignment } from "../../../../shared/conversation.js";

export function visibleTo(m: Pick<Message, "from" | "to">, role: string): boolean {
  return m.from === role || m.to === "all" || m.to.includes(role);
}

/** Empty turns are dropped everywhere: fine-tuning APIs reject empty content. */
export function hasContent(m: Pick<Message, "content">): boolean {
  return m.content.trim().length > 0;
}

const ExperimentRoles = z.looseObject({
  roles: z.array(z.looseObject({ name: z.string(), system: z.string().optional() })).optional(),
});

export class SystemPrompts {
  private readonly fromExperiment = new Map<string, string>();
  /** Per role, assignments in `fromSeq` order. */
  private readonly assigned = new Map<string, SlotAssignment[]>();

  constructor(experiment: JsonValue, assignments: readonly SlotAssignment[]) {
    const parsed = ExperimentRoles.safeParse(experiment);
    for (const r of parsed.success ? (parsed.data.roles ?? []) : []) {
      if (r.system) this.fromExperiment.set(r.name, r.system);
    }
    for (const a of [...assignments].sort((x, y) => x.fromSeq - y.fromSeq)) {
      const list = this.assigned.get(a.role) ?? [];
      list.push(a);
      this.assigned.set(a.role, list);
    }
  }

  /** The system prompt `role` ran under when it spoke message `seq`. */
  at(role: string, seq: number): string | null {
    let prompt: string | null = null;
    for (const a of this.assigned.get(role) ?? []) {
      if (a.fromSeq > seq) break;
      if (a.systemPrompt !== null) prompt = a.systemPrompt;
    }
    return prompt ?? this.fromExperiment.get(role) ?? null;
  }
}

/** The task as an opening user turn, or null when the bus already carries it (or there is none). */
export function openingTask(session: SessionInfo, first: Message | undefined): string | null {
  if (!session.task.trim()) return null;
  if (first && first.from === "user") return null;
  return session.task;
}

/**
 * The context one role holds while the session streams by: the last `limit` visible messages plus
 * the latest summary that scrolled out of them. Memory stays bounded by the limit.
 */
export class ContextWindow<T> {
  private items: { seq: number; value: T; summary: boolean }[] = [];
  private start = 0;
  private summary: { seq: number; value: T } | null = null;

  constructor(private readonly limit: number | null) {}

  push(seq: number, value: T, isSummary: boolean): void {
    this.items.push({ seq, value, summary: isSummary });
    if (isSummary) this.summary = { seq, value };
    if (this.limit !== null && this.items.length - this.start > this.limit) {
      this.start++;
      // Compact now and then so the array does not grow with the session.
      if (this.start > 1024 && this.start * 2 > this.items.length) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** The window's values, oldest first. */
  values(): T[] {
    const kept = this.items.slice(this.start);
    const out = kept.map((i) => i.value);
    const firstSeq = kept[0]?.seq ?? Infinity;
    if (this.summary && this.summary.seq < firstSeq) out.unshift(this.summary.value);
    return out;
  }
}

/** The same window computed after the fact over a loaded session: what `visible` messages before `index` hold. */
export function windowBefore(
  messages: readonly Message[],
  index: number,
  visible: (m: Message) => boolean,
  limit: number | null,
): Message[] {
  const kept: Message[] = [];
  let summary: Message | null = null;
  let windowHasSummary = false;
  for (let i = index - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || !visible(m) || !hasContent(m)) continue;
    if (limit === null || kept.length < limit) {
      kept.push(m);
      windowHasSummary ||= m.type === "summary";
    } else if (windowHasSummary) {
      break;
    } else if (m.type === "summary") {
      summary = m;
      break;
    }
  }
  kept.reverse();
  if (summary) kept.unshift(summary);
  return kept;
}
