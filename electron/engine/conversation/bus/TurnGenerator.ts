/**
 * The one seam between the conversation and whatever produces a role's next turn. The in-process
 * slot engine implements it (`SlotTurnGenerator`); remote backends (Ollama, OpenAI-compatible
 * servers) implement the same four members, so protocols and the session runner never change.
 */
import type { Provenance, Routing, Thought, Usage } from "../../../../shared/conversation.js";
import type { ChatTurn, SamplingInput } from "../../../../shared/slots.js";

/** What a role is asked to say next. */
export interface TurnRequest {
  /** The role's whole view of the conversation, system prompt first (see conversation/bus/perspective.ts). */
  turns: ChatTurn[];
  /** Overrides of the role's sampling for this turn (seed, maxTokens…). */
  sampling?: Partial<SamplingInput>;
  /** JSON schema the output must follow; ignored by backends whose `supportsGrammar` is false. */
  jsonSchema?: Record<string, unknown>;
  /** With `jsonSchema`: free text not starting with `{` is allowed too (a content-first turn's first step). */
  orFreeText?: boolean;
  /** Streamed text as it is generated; `thought` marks text of the thought segment (absent: content). */
  onToken?: (text: string, thought?: boolean) => void;
  /** Aborting stops the generation; the partial text comes back with `aborted: true`. */
  signal?: AbortSignal;
  /** Id for the streamed tokens, so the UI can match the speaker announcement to the stream. */
  generationId?: string;
  /** The session the turn belongs to: its seat in the slot engine, and its cost and budget in backends. */
  sessionId?: string;
  /** When the turn was asked for (`performance.now()`), so a swap's visible gap is measured from there. */
  askedAt?: number;
}

/** A generated turn with what it cost and who produced it. */
export interface TurnResult {
  text: string;
  usage: Usage;
  provenance: Provenance;
  aborted: boolean;
  /** What the model thought before `text` (reasoning models and remote reasoning fields); null or absent: nothing. */
  thought?: Thought | null;
  /** Turns of the request the backend had to leave out to fit its context (0 when all fit). */
  droppedTurns: number;
  /** Which backend actually answered and why (a pool of backends sets it, fallbacks included). */
  routing?: Routing;
  /**
   * Whether a grammar held the text to the request's `jsonSchema`. Set by whoever answered: in a
   * pool of mixed backends only the one that ran the turn knows. Absent: the generator's `supportsGrammar`.
   */
  grammarConstrained?: boolean;
}

/** Produces role turns. */
export interface TurnGenerator {
  /** Short backend name for routing records and logs, e.g. `local`, `ollama`. */
  readonly backend: string;
  /**
   * Whether `jsonSchema` can be enforced by a grammar, so it is worth sending; a pool says so when any
   * enabled backend can. Each result then says in `grammarConstrained` whether it was.
   */
  readonly supportsGrammar: boolean;
  generateTurn(role: string, request: TurnRequest): Promise<TurnResult>;
}
