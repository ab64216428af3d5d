/**
 * The researcher's steps in a running session (HumanDesk.ts holds the waits): what `sessions.say`
 * and `sessions.decide` do, scripted interjections, choosing the next speaker under
 * `protocol.nextSpeaker: "manual"` and the human approval of a validate loop. A resumed session takes
 * each recorded choice back from its stored messages instead of asking again.
 */
import type { Message } from "../../../../shared/conversation.js";
import { resolveDecision, type SayRequest } from "../../../../shared/human.js";
import type { ConversationBus } from "../bus/ConversationBus.js";
import { HUMAN_PROVENANCE, type HumanDesk } from "./HumanDesk.js";
import type { SessionControl } from "./SessionControl.js";
import type { SeatKeeper } from "./SeatKeeper.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { arbitrateCheck } from "./arbitration.js";

export interface ResearcherDeps {
  sessionId: string;
  experiment: Experiment;
  store: SessionStore;
  chair: string;
  bus: ConversationBus;
  human: HumanDesk;
  control: SessionControl;
  keeper: SeatKeeper;
  seats: ReadonlyMap<string, unknown>;
  round(): number;
  system(content: string): void;
  log(phase: string, message: Message): void;
}

export class ResearcherSteps {
  constructor(private readonly deps: ResearcherDeps) {}

  /** Whose candidate the arbitration's `chair` fallback keeps. */
  get chair(): string {
    return this.deps.chair;
  }

  /**
   * After a validate attempt's check: under `approval: "human"` a passed check waits for the
   * researcher's approval (a rejection's note goes to the corrector); under `arbitration.on:
   * ["check-failed"]` a failed one lets the researcher keep the checked `answer` (arbitration.ts).
   */
  async gate(passed: boolean, verdict: Message, phase: string, answer: Message | undefined): Promise<boolean> {
    const { experiment } = this.deps;
    if (passed && experiment.protocol.approval === "human") return this.approve(verdict, phase);
    const spec = experiment.arbitration;
    if (!passed && answer && spec?.on.includes("check-failed")) {
      const d = this.deps;
      return arbitrateCheck({ spec, chair: d.chair, sessionId: d.sessionId, store: d.store, bus: d.bus, round: d.round(), human: d.human }, answer, verdict);
    }
    return passed;
  }

  /**
   * The researcher speaks: the awaited human seat's turn when the session waits for one, otherwise
   * an interjection from `user` to `to` (default everyone), seen by each addressee's next turn.
   */
  say(request: SayRequest): Message | null {
    if (request.interject !== true && this.deps.human.answerTurn(request)) return null;
    if (this.deps.control.aborted) throw new Error(`session ${this.deps.sessionId} is ending; nothing more can be said`);
    // A resumed session re-walks its stored messages first; a new one among them would break the match.
    if (this.deps.bus.replaying) throw new Error(`session ${this.deps.sessionId} is catching up with its stored messages after a resume; say it again in a moment`);
    for (const r of request.to ?? []) {
      if (!this.deps.seats.has(r)) throw new Error(`to: '${r}' is not one of the roles (${[...this.deps.seats.keys()].join(", ")})`);
    }
    return this.interject(request);
  }

  /** Answers a decision the session waits for (a tie, the next speaker, an approval). */
  decide(decision: string, reason: string): void {
    const wait = this.deps.human.waiting;
    if (!wait || wait.kind === "turn") throw new Error(`session ${this.deps.sessionId} is not waiting for a decision` + (wait ? ` but for ${wait.role}'s turn: use sessions.say` : ""));
    const resolved = resolveDecision(wait, decision);
    if (!resolved.ok) throw new Error(`decision: ${resolved.error}`);
    this.deps.human.answerDecision(decision, reason);
  }

  interject(request: Pick<SayRequest, "content" | "to" | "type" | "referencesTo" | "confidence">): Message {
    const known = new Set(this.deps.bus.all().map((m) => m.id));
    const refs = (request.referencesTo ?? []).filter((r) => known.has(r));
    return this.deps.bus.send({
      from: "user",
      to: request.to ?? "all",
      type: request.type ?? "question",
      content: request.content,
      referencesTo: refs,
      confidence: request.confidence ?? null,
      provenance: HUMAN_PROVENANCE,
      round: this.deps.round(),
    });
  }

  /** Scripted interjections whose point has come (`--answers` lines with `at`). */
  sendDueInterjections(): void {
    if (this.deps.bus.replaying) return;
    const last = this.deps.bus.all().at(-1)?.seq ?? 0;
    for (const a of this.deps.human.dueInterjections(this.deps.round(), last)) this.interject({ content: a.content!, ...(a.to ? { to: a.to } : {}), ...(a.type ? { type: a.type } : {}) });
  }

  /** Waits for the researcher to pick the next speaker, showing the planner's predicted wait for each (a parked seat costs a load). */
  async chooseSpeaker(left: readonly string[]): Promise<string> {
    const stored = this.deps.bus.replaying ? this.deps.bus.peekReplay() : null;
    const recorded = stored?.from === "system" ? /^Next speaker: ([a-zA-Z0-9_-]+), chosen by the researcher/.exec(stored.content) : null;
    if (recorded && left.includes(recorded[1]!)) {
      this.deps.system(stored!.content);
      return recorded[1]!;
    }
    const choices = left.map((role) => ({ role, ...this.deps.keeper.predictedWait(role) }));
    const d = await this.deps.human.decide({ kind: "speaker", round: this.deps.round(), choices, since: Date.now() }, null);
    const role = d.decision.trim();
    const predicted = choices.find((c) => c.role === role)?.predictedWaitMs ?? 0;
    this.deps.system(`Next speaker: ${role}, chosen by the researcher (predicted wait ${Math.round(predicted)} ms)${d.reason.trim() ? `: ${d.reason.trim()}` : "."}`);
    return role;
  }

  /** The researcher approves the validator's verdict, or rejects it with a note for the corrector (then the attempt failed). */
  async approve(verdict: Message, phase: string): Promise<boolean> {
    const stored = this.deps.bus.replaying ? this.deps.bus.peekReplay() : null;
    let approved: boolean;
    let reason: string;
    if (stored?.from === "user" && /^(Approved|Rejected) by the researcher/.test(stored.content)) {
      approved = stored.content.startsWith("Approved");
      reason = stored.content.replace(/^(Approved|Rejected) by the researcher:? ?/, "").replace(/\.$/, "");
    } else {
      const d = await this.deps.human.decide({ kind: "approval", role: verdict.from, messageId: verdict.id, round: this.deps.round(), since: Date.now() }, null);
      approved = d.decision.trim() === "approve";
      reason = d.reason.trim();
    }
    const sent = this.deps.bus.send({
      from: "user",
      to: "all",
      type: approved ? "consensus" : "critique",
      content: approved ? `Approved by the researcher${reason ? `: ${reason}` : "."}` : `Rejected by the researcher: ${reason || "no reason given"}`,
      referencesTo: [verdict.id],
      provenance: HUMAN_PROVENANCE,
      round: this.deps.round(),
    });
    if (!approved) this.deps.log(phase, sent);
    return approved;
  }
}
