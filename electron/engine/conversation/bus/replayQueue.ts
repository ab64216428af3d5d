/**
 * Resuming an interrupted session replays its plan against the messages it had already committed:
 * the orchestrator walks the same steps, and every message it would send is matched, in order,
 * with the stored one and answered with it — nothing is generated, stored or published twice, and
 * the plan continues live from the first step that has no stored message. Control flow that
 * depends on messages (stopping rules, validation, votes) therefore takes the same path.
 *
 * A match needs the same speaker and type, and for orchestrator messages the same text (they are
 * deterministic). Orchestrator notes that record something outside the plan — swaps, faults, state
 * snapshots — and the researcher's interjections are taken over as they are, since the replay neither
 * redoes nor repeats them. If the
 * replay ever disagrees with the stored order, the remaining stored messages are taken over
 * unchanged and the session continues live after them: nothing committed is lost or duplicated.
 *
 * A fork runs the same way over the messages it took from its parent. Its experiment may differ, so
 * the header that describes the experiment ("Protocol: …, Seed …") matches any header: the stored
 * one stays (the fork's lineage says what was changed).
 */
import type { Message, MessageDraft } from "../../../../shared/conversation.js";

/** Orchestrator notes about events rather than plan steps (see SessionRunner). */
const EVENT_NOTES = /^(Swap at round|Manual swap during round|Scheduled swap at round|Fault:|State before round)/;
const HEADER = "Protocol: ";
/** The researcher's decisions are plan steps (arbitration, approvals), not interjections. */
const DECISIONS = /^(Decision \(|Approved by the researcher|Rejected by the researcher)/;

/**
 * Whether `m` is an orchestrator note about an event (a swap, a fault, a state snapshot) rather than
 * a plan step, or the researcher's interjection: said between steps, taken over as a fixed input.
 */
export function isEventNote(m: Pick<Message, "from" | "content"> & { provenance?: Message["provenance"] }): boolean {
  return (m.from === "system" && EVENT_NOTES.test(m.content)) || (m.from === "user" && m.provenance?.human === true && !DECISIONS.test(m.content));
}

export class ReplayQueue {
  private readonly queue: Message[];
  /** Set when the replay stopped matching; then everything left was taken over. */
  diverged: string | null = null;

  constructor(
    committed: readonly Message[],
    private readonly absorb: (m: Message) => Message,
  ) {
    this.queue = [...committed];
  }

  get active(): boolean {
    this.skipEventNotes();
    return this.queue.length > 0;
  }

  peek(): Message | null {
    this.skipEventNotes();
    return this.queue[0] ?? null;
  }

  /** The stored message answering `draft`, or null when the replay is over (or just diverged). */
  match(draft: Pick<MessageDraft, "from" | "type" | "content">): Message | null {
    this.skipEventNotes();
    const next = this.queue[0];
    if (!next) return null;
    const same =
      next.from === draft.from &&
      next.type === draft.type &&
      (draft.from !== "system" || next.content === draft.content || (next.content.startsWith(HEADER) && draft.content.startsWith(HEADER)));
    if (same) return this.queue.shift()!;
    this.diverged = `expected ${next.from}/${next.type} (m${next.seq}), the plan produced ${draft.from}/${draft.type}`;
    for (const m of this.queue.splice(0)) this.absorb(m);
    return null;
  }

  private skipEventNotes(): void {
    while (this.queue[0] && isEventNote(this.queue[0])) this.absorb(this.queue.shift()!);
  }
}
