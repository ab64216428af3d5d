/**
 * Where a session meets the researcher. A human seat's turn, an arbitration, a manual choice of the
 * next speaker and a human approval each become one wait: the session moves to `waiting` (through
 * its status machine), says what it waits for, and goes on when `sessions.say` / `sessions.decide`
 * answers, when a scripted answer (`conclave run --answers`, a replay's recorded answers) fits, or —
 * for decisions with a timeout — when the fallback applies. An abort or an interruption ends the
 * wait; an interrupted session waits again once resumed.
 */
import type { MessageType, Provenance } from "../../../../shared/conversation.js";
import { resolveDecision, type HumanAnswer, type HumanWait, type SayRequest } from "../../../../shared/human.js";
import { SessionAborted, type SessionControl } from "./SessionControl.js";

/** The provenance of everything the researcher writes: no model, `human: true`. */
export const HUMAN_PROVENANCE: Provenance = {
  modelName: "human",
  fingerprint: "human",
  quantization: "none",
  sampling: { temperature: 0, maxTokens: 1 },
  seed: null,
  human: true,
};

/** What the researcher said for a turn. */
export interface HumanSaid {
  content: string;
  type?: MessageType | undefined;
  referencesTo?: string[] | undefined;
  confidence?: number | undefined;
  to?: string[] | undefined;
}

/** How a decision was reached: by the researcher (live or scripted) or by the fallback after the timeout. */
export interface HumanDecision {
  decision: string;
  reason: string;
  by: "human" | "timeout";
}

/** Thrown when a wait arises that nobody can answer (no TTY, no answers left, no timeout). */
export class NobodyToAnswerError extends Error {
  constructor(what: string) {
    super(`${what}, and nobody can answer here: run on a TTY, pass --answers FILE, or set arbitration.timeoutMs`);
    this.name = "NobodyToAnswerError";
  }
}

export interface HumanDeskOptions {
  control: SessionControl;
  /** Moves the session to `waiting` (with what it waits for) or back to `running` (null). */
  setWait(wait: HumanWait | null): void;
  /** Answers used in order before anyone is asked live. */
  answers?: readonly HumanAnswer[];
  /** Whether someone may answer live (the UI, a TTY). Without, a wait the script cannot answer is an error. */
  attended?: boolean;
}

type Pending =
  | { kind: "turn"; wait: HumanWait; resolve: (said: HumanSaid) => void }
  | { kind: "decide"; wait: HumanWait; resolve: (d: HumanDecision) => void };

export class HumanDesk {
  private pending: Pending | null = null;
  private readonly script: HumanAnswer[];
  private readonly interjections: HumanAnswer[];
  private readonly attended: boolean;

  constructor(private readonly options: HumanDeskOptions) {
    const answers = options.answers ?? [];
    this.script = answers.filter((a) => a.at === undefined);
    this.interjections = answers.filter((a) => a.at !== undefined);
    this.attended = options.attended ?? true;
  }

  /** What the session waits for now, or null. */
  get waiting(): HumanWait | null {
    return this.pending?.wait ?? null;
  }

  /** Scripted interjections due at this point (round reached, or message `afterMessage` committed); each is handed out once. */
  dueInterjections(round: number, lastSeq: number): HumanAnswer[] {
    const due = this.interjections.filter((a) => (a.at?.round === undefined || round >= a.at.round) && (a.at?.afterMessage === undefined || lastSeq >= a.at.afterMessage));
    for (const a of due) this.interjections.splice(this.interjections.indexOf(a), 1);
    return due;
  }

  /** Waits for a human seat's turn. */
  async turn(wait: Extract<HumanWait, { kind: "turn" }>): Promise<HumanSaid> {
    const scripted = this.nextScripted("content", wait.role);
    if (scripted) return { content: scripted.content!, type: scripted.type, referencesTo: scripted.referencesTo, confidence: scripted.confidence, to: scripted.to };
    if (!this.attended) throw new NobodyToAnswerError(`'${wait.role}' is a human seat and its turn has come (round ${wait.round})`);
    return this.wait<HumanSaid>(wait, (resolve) => ({ kind: "turn", wait, resolve }), null);
  }

  /**
   * Waits for a decision (arbitration, next speaker, approval). `timeout` gives the fallback's
   * decision and when it applies; without one the wait lasts until answered or aborted.
   */
  async decide(wait: Exclude<HumanWait, { kind: "turn" }>, timeout: { ms: number; fallback: string } | null): Promise<HumanDecision> {
    const scripted = this.nextScripted("decision", null);
    if (scripted) {
      const resolved = resolveDecision(wait, scripted.decision!);
      if (!resolved.ok) throw new Error(`the scripted decision does not fit: ${resolved.error}`);
      return { decision: scripted.decision!, reason: scripted.reason ?? "", by: "human" };
    }
    if (!this.attended && !timeout) throw new NobodyToAnswerError(`the session waits for a decision (${wait.kind})`);
    return this.wait<HumanDecision>(wait, (resolve) => ({ kind: "decide", wait, resolve }), timeout ? { ms: timeout.ms, value: { decision: timeout.fallback, reason: `no decision within ${timeout.ms} ms`, by: "timeout" } } : null);
  }

  /** Answers a pending turn; false when the session waits for no turn. */
  answerTurn(said: Pick<SayRequest, "content" | "type" | "referencesTo" | "confidence" | "to">): boolean {
    const p = this.pending;
    if (p?.kind !== "turn") return false;
    p.resolve({ content: said.content, type: said.type, referencesTo: said.referencesTo, confidence: said.confidence, to: said.to });
    return true;
  }

  /** Answers a pending decision; false when the session waits for none. */
  answerDecision(decision: string, reason: string): boolean {
    const p = this.pending;
    if (p?.kind !== "decide") return false;
    p.resolve({ decision, reason, by: "human" });
    return true;
  }

  /** The next scripted answer, which must be of the kind the session waits for (answers are fed in order). */
  private nextScripted(field: "content" | "decision", role: string | null): HumanAnswer | null {
    const next = this.script[0];
    if (!next) return null;
    if (next[field] === undefined) {
      throw new Error(`the next answer is ${field === "content" ? "a decision" : "a turn's content"}, but the session waits for ${field === "content" ? `${role}'s turn` : "a decision"}`);
    }
    if (role !== null && next.role !== undefined && next.role !== role) throw new Error(`the next answer is for '${next.role}', but the session waits for '${role}'`);
    return this.script.shift()!;
  }

  private wait<T>(wait: HumanWait, make: (resolve: (v: T) => void) => Pending, timeout: { ms: number; value: T } | null): Promise<T> {
    const { control } = this.options;
    if (control.aborted) return Promise.reject(new SessionAborted("aborted"));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        control.signal.removeEventListener("abort", onAbort);
        this.pending = null;
      };
      const onAbort = (): void => {
        finish();
        reject(control.signal.reason instanceof Error ? control.signal.reason : new SessionAborted("aborted"));
      };
      control.signal.addEventListener("abort", onAbort, { once: true });
      this.pending = make(((v: T) => {
        finish();
        this.options.setWait(null);
        resolve(v);
      }));
      if (timeout) {
        timer = setTimeout(() => {
          finish();
          this.options.setWait(null);
          resolve(timeout.value);
        }, timeout.ms);
      }
      this.options.setWait(wait);
    });
  }
}
