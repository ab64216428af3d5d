/**
 * The typed, in-process conversation bus of one session. Every message goes through `send`, which
 * validates it, commits it to the store (when there is one) before anyone hears of it, keeps it in
 * memory for the per-role views, and then tells subscribers. Token streams and speaker changes
 * travel the same subscription, so a UI or the CLI follows a session from one place.
 */
import { randomUUID } from "node:crypto";
import { Emitter } from "../../../../shared/emitter.js";
import { Message, MessageDraft } from "../../../../shared/conversation.js";
import type { MessageDraft as MessageDraftInput, MessageType, Recipients } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { ReplayQueue } from "./replayQueue.js";

/** What subscribers hear. */
export type BusEvent =
  | { type: "message"; message: Message }
  | { type: "token"; sessionId: string; role: string; generationId: string; text: string; thought?: true }
  | { type: "speaker"; sessionId: string; role: string | null; generationId: string | null; to?: string[] };

/** Fields of a message the sender chooses (the bus fills in the session). */
export type Outgoing = Omit<MessageDraftInput, "sessionId">;

/** Filters for {@link ConversationBus.history}. */
export interface HistoryQuery {
  /** Only what this role can see (spoke, addressed to all, or addressed to it). */
  visibleTo?: string;
  from?: string;
  types?: readonly MessageType[];
  round?: number;
}

/** Whether `role` sees message `m` (the rule every view and every export shares). */
export function isVisibleTo(m: Pick<Message, "from" | "to">, role: string): boolean {
  return m.from === role || m.to === "all" || m.to.includes(role);
}

export class ConversationBus {
  private readonly messages: Message[] = [];
  private readonly byId = new Map<string, Message>();
  private readonly events = new Emitter<BusEvent>();
  private readonly replay: ReplayQueue | null;

  /**
   * @param store where messages are committed as they are sent; without one the bus numbers them
   *   itself (tests, dry runs).
   * @param committed a resumed session's stored messages: sends are matched against them in order
   *   and answered with the stored message instead of a new one (see replayQueue.ts).
   */
  constructor(
    readonly sessionId: string,
    private readonly store: Pick<SessionStore, "appendMessage"> | null = null,
    committed: readonly Message[] = [],
  ) {
    this.replay = committed.length > 0 ? new ReplayQueue(committed, (m) => this.absorb(m)) : null;
  }

  /** True while a resumed session is re-walking messages it had already committed. */
  get replaying(): boolean {
    return this.replay?.active ?? false;
  }

  /** The next committed message a replay expects, if replaying. */
  peekReplay(): Message | null {
    return this.replay?.peek() ?? null;
  }

  /** Validates, commits and publishes one message; returns it as stored (with `seq`). */
  send(outgoing: Outgoing): Message {
    const draft = MessageDraft.parse({ ...outgoing, sessionId: this.sessionId });
    const replayed = this.replay?.match(draft);
    if (replayed) return this.absorb(replayed);
    for (const ref of draft.referencesTo) {
      if (!this.byId.has(ref)) throw new Error(`message from '${draft.from}' cites unknown message ${ref}`);
    }
    const message = this.store
      ? this.store.appendMessage(draft)
      : Message.parse({ ...draft, id: draft.id ?? randomUUID(), createdAt: draft.createdAt ?? Date.now(), seq: this.messages.length + 1 });
    this.messages.push(message);
    this.byId.set(message.id, message);
    this.publish({ type: "message", message });
    return message;
  }

  /** Takes a committed message into the session's memory without storing or publishing it again. */
  private absorb(message: Message): Message {
    this.messages.push(message);
    this.byId.set(message.id, message);
    return message;
  }

  /** Sends to everyone. */
  broadcast(from: string, type: MessageType, content: string, extra: Partial<Outgoing> = {}): Message {
    return this.send({ ...extra, from, to: "all", type, content });
  }

  /** Sends to some roles only. */
  sendTo(from: string, to: Recipients, type: MessageType, content: string, extra: Partial<Outgoing> = {}): Message {
    return this.send({ ...extra, from, to, type, content });
  }

  /** Publishes a streamed fragment of a turn being generated (`thought`: of its thought segment). */
  token(role: string, generationId: string, text: string, thought = false): void {
    this.publish({ type: "token", sessionId: this.sessionId, role, generationId, text, ...(thought ? { thought: true as const } : {}) });
  }

  /** Publishes who is speaking now (null when nobody is). */
  speaker(role: string | null, generationId: string | null, to?: string[]): void {
    this.publish({ type: "speaker", sessionId: this.sessionId, role, generationId, ...(to ? { to } : {}) });
  }

  /** Listens to messages, tokens and speaker changes; returns the unsubscribe function. */
  subscribe(listener: (event: BusEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Messages in emission order, optionally filtered. */
  history(query: HistoryQuery = {}): Message[] {
    const { visibleTo, from, types, round } = query;
    if (visibleTo === undefined && from === undefined && types === undefined && round === undefined) return [...this.messages];
    return this.messages.filter(
      (m) =>
        (visibleTo === undefined || isVisibleTo(m, visibleTo)) &&
        (from === undefined || m.from === from) &&
        (types === undefined || types.includes(m.type)) &&
        (round === undefined || m.round === round),
    );
  }

  /** All messages, without copying (views walk it backwards). */
  all(): readonly Message[] {
    return this.messages;
  }

  get(id: string): Message | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.messages.length;
  }

  private publish(event: BusEvent): void {
    // A broken subscriber must not stop the session or the other subscribers.
    this.events.emit(event);
  }
}
