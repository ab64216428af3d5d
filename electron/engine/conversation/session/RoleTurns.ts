/**
 * One role's typed turn, end to end: keep its conversation within budget (recording what the
 * policy did), build its view (peers' thoughts only from roles that share them), generate under a
 * derived seed in the session's typed format (content first, then a grammar-held label step; see
 * typedFormat.ts), and hand back a message ready to send, with its thought and, when anything was
 * repaired, the raw output.
 */
import { randomUUID } from "node:crypto";
import type { Message, MessageType, Routing } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ConversationBus, Outgoing } from "../bus/ConversationBus.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import { roleView, type RoleView } from "../bus/perspective.js";
import { summaryFor } from "../bus/contextBudget.js";
import { formatTurn, type TypedFormat } from "./typedFormat.js";
import { turnSeed } from "../protocols/seededRandom.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { SessionAborted, type SessionControl } from "./SessionControl.js";
import { HUMAN_PROVENANCE, type HumanDesk } from "./HumanDesk.js";

/** Per-role facts the turns need, fixed when the role is seated. */
export interface SeatedRole {
  name: string;
  system: string;
  budgetTokens: number;
  maxTokens: number;
  /** The researcher's seat: its turns come from {@link HumanTurns}, never a model. */
  human?: boolean;
}

/** How the session's turns are written; the default is the measured better design (typedFormat.ts). */
export interface RoleTurnsOptions {
  format?: TypedFormat;
}

export interface TurnAsk {
  role: string;
  types: readonly MessageType[];
  round: number;
  privateView?: boolean;
  /** Replaces the cite-able labels (ballots cite A, B, C…). */
  refs?: Map<string, string>;
  /** A ballot's full ranking. */
  exactRefs?: number;
  /** The answer as written, without type, references or confidence (compare columns). */
  plain?: boolean;
  routing?: Routing;
}

export class RoleTurns {
  private readonly turnCount = new Map<string, number>();
  private readonly warnedFull = new Set<string>();
  /** Per role and view kind: the first message its last view showed after a cut (perspective.ts). */
  private readonly viewStart = new Map<string, number | null>();

  constructor(
    private readonly experiment: Experiment,
    private readonly seed: number,
    private readonly roles: ReadonlyMap<string, SeatedRole>,
    private readonly bus: ConversationBus,
    private readonly store: SessionStore,
    private readonly generator: TurnGenerator,
    private readonly control: SessionControl,
    private readonly human: HumanDesk,
    private readonly options: RoleTurnsOptions = {},
  ) {}

  /** Whether `role` is the researcher's seat (no model, no residency). */
  isHuman(role: string): boolean {
    return this.roles.get(role)?.human === true;
  }

  /**
   * The role's view now. It starts where the role's last cut left it while what follows still fits,
   * so the model's context keeps its prefix; `commit` records where a new cut starts.
   */
  view(seat: SeatedRole, privateOnly: boolean, commit: boolean): RoleView {
    const key = `${seat.name}\u0000${privateOnly ? "private" : "shared"}`;
    const view = roleView(this.bus.all(), seat.name, {
      system: seat.system,
      budgetTokens: seat.budgetTokens,
      privateOnly,
      keepFrom: this.viewStart.get(key) ?? null,
      sharesThoughts: this.sharesThoughts,
    });
    if (commit) this.viewStart.set(key, view.keptFrom);
    return view;
  }

  /**
   * Generates `ask.role`'s turn; the caller sends it (so concurrent turns can be sent in a fixed
   * order). `askedAt` is when the turn was asked for (before its seat was made resident). While a
   * resumed session replays, the committed turn comes back instead of a new one; the budget and
   * view steps still run, so the notes they send are replayed too.
   */
  async take(ask: TurnAsk, askedAt: number): Promise<Outgoing> {
    await this.control.checkpoint();
    const seat = this.roles.get(ask.role);
    if (!seat) throw new Error(`no role '${ask.role}' in this session`);
    this.keepWithinBudget(seat, ask.round);
    const view = this.view(seat, ask.privateView ?? false, true);
    if (view.omitted > 0) this.recordOmitted(seat, view.omitted, ask.round);

    const shape = {
      types: ask.types,
      refs: ask.refs ?? view.refs,
      ...(ask.exactRefs !== undefined ? { exactRefs: ask.exactRefs } : {}),
    };
    const n = this.turnCount.get(seat.name) ?? 0;
    this.turnCount.set(seat.name, n + 1);
    const stored = this.bus.peekReplay();
    if (stored && stored.from === seat.name) return replayedTurn(stored);
    if (seat.human) return this.humanTurn(seat, ask, shape.refs);
    const generationId = randomUUID();
    this.bus.speaker(seat.name, generationId);
    let formatted;
    try {
      formatted = await formatTurn(
        this.generator,
        seat.name,
        {
          turns: view.turns,
          sampling: { ...this.sampling(seat), seed: turnSeed(this.seed, seat.name, n) },
          onToken: (text, thought) => this.bus.token(seat.name, generationId, text, thought ?? false),
          signal: this.control.signal,
          sessionId: this.bus.sessionId,
          generationId,
          askedAt,
        },
        shape,
        { format: this.options.format ?? "content-first", plain: ask.plain ?? false, maxTokens: seat.maxTokens },
      );
    } finally {
      this.bus.speaker(null, null);
    }
    // An interrupted session drops the turn in flight: the resumed session takes it again whole.
    if (this.control.interrupted) throw new SessionAborted("interrupted");
    const { turn, result } = formatted;
    if (result.aborted) turn.repairs.push("generation was aborted; the partial output is kept");
    // The usage is the content's generation (its cap is the role's maxTokens); the label step's cost is its own figure.
    if (formatted.labelTokens > 0) {
      this.store.recordMetric({ sessionId: this.bus.sessionId, name: "turn.labelTokens", value: formatted.labelTokens, role: seat.name });
    }
    if (result.droppedTurns > 0) {
      this.store.recordMetric({ sessionId: this.bus.sessionId, name: "context.engineDroppedTurns", value: result.droppedTurns, role: seat.name });
    }
    return {
      from: seat.name,
      to: "all",
      type: turn.type,
      content: turn.content,
      referencesTo: turn.referencesTo,
      confidence: turn.confidence,
      provenance: result.provenance,
      usage: result.usage,
      round: ask.round,
      repairs: turn.repairs,
      routing: mergeRouting(ask.routing ?? null, result.routing ?? null),
      ...(result.thought ? { thought: result.thought } : {}),
      // A repaired message keeps what the model actually wrote, for the timeline to show.
      ...(turn.repairs.length > 0 ? { raw: formatted.raw } : {}),
    };
  }

  /** Roles whose thoughts their peers see (`thinking.share`). */
  private get sharesThoughts(): ReadonlySet<string> {
    return (this.sharing ??= new Set(this.experiment.roles.filter((r) => r.thinking?.share).map((r) => r.name)));
  }
  private sharing: Set<string> | null = null;

  /**
   * A human seat's turn: waits for the researcher (HumanDesk.ts) and shapes what they said like any
   * typed turn — a type the step allows, references by label (`m3`, a ballot's `A`), message id or author,
   * each repair noted — recorded with the human provenance.
   */
  private async humanTurn(seat: SeatedRole, ask: TurnAsk, refs: ReadonlyMap<string, string>): Promise<Outgoing> {
    const said = await this.human.turn({ kind: "turn", role: seat.name, types: [...ask.types], round: ask.round, since: Date.now() });
    const repairs: string[] = [];
    const type = said.type !== undefined && ask.types.includes(said.type) ? said.type : ask.types[0]!;
    if (said.type !== undefined && type !== said.type) repairs.push(`type '${said.type}' is not allowed in this step; ${type} instead`);
    const all = this.bus.all();
    const known = new Set(all.map((m) => m.id));
    // A role's name cites the latest of its messages this turn may cite (a ballot's candidate), so
    // scripted answers need not know labels or ids in advance.
    const citable = new Set(refs.values());
    const byAuthor = (role: string): string | null => all.findLast((m) => m.from === role && (citable.size === 0 || citable.has(m.id)))?.id ?? null;
    const referencesTo: string[] = [];
    for (const r of said.referencesTo ?? []) {
      const id = refs.get(r) ?? (known.has(r) ? r : null) ?? (this.roles.has(r) ? byAuthor(r) : null);
      if (id === null) repairs.push(`reference '${r}' names no message here; dropped`);
      else if (!referencesTo.includes(id)) referencesTo.push(id);
    }
    return {
      from: seat.name,
      to: said.to ?? "all",
      type,
      content: said.content,
      referencesTo,
      confidence: said.confidence ?? null,
      provenance: HUMAN_PROVENANCE,
      usage: null,
      round: ask.round,
      repairs,
      routing: null,
    };
  }

  /**
   * The role's own sampling, sent with every turn: a local slot already holds it, but a remote
   * backend knows only what the request says.
   */
  private sampling(seat: SeatedRole): { maxTokens: number; temperature?: number; topP?: number; topK?: number; thoughtBudget?: number } {
    const role = this.experiment.roles.find((r) => r.name === seat.name);
    return {
      maxTokens: seat.maxTokens,
      ...(role?.thinking?.budget !== undefined ? { thoughtBudget: role.thinking.budget } : {}),
      ...(role?.temperature !== undefined ? { temperature: role.temperature } : {}),
      ...(role?.topP !== undefined ? { topP: role.topP } : {}),
      ...(role?.topK !== undefined ? { topK: role.topK } : {}),
    };
  }

  /** Under `summarize`, folds the oldest messages into a summary for the role when it is over budget. */
  private keepWithinBudget(seat: SeatedRole, round: number): void {
    if (this.experiment.context.policy !== "summarize") return;
    const reserve = Math.ceil(seat.system.length / 3) + Math.ceil(this.experiment.task.length / 3) + 64;
    const summary = summaryFor(this.bus.all(), seat.name, seat.budgetTokens, reserve);
    if (!summary) return;
    const sent = this.bus.send({ ...summary, round });
    this.store.recordMetric({ sessionId: this.bus.sessionId, name: "context.summarizedMessages", value: sent.referencesTo.length, role: seat.name });
  }

  /** Under `drop-oldest`: a metric every time, a note the first time a role's view is cut. */
  private recordOmitted(seat: SeatedRole, omitted: number, round: number): void {
    this.store.recordMetric({ sessionId: this.bus.sessionId, name: "context.omittedMessages", value: omitted, role: seat.name });
    if (this.warnedFull.has(seat.name)) return;
    this.warnedFull.add(seat.name);
    this.bus.send({
      from: "system",
      to: [seat.name],
      type: "system",
      round,
      content:
        `${seat.name}'s conversation outgrew its context budget (${seat.budgetTokens} tokens): from now on its oldest ` +
        `messages leave its view (policy ${this.experiment.context.policy}); the task${this.experiment.context.policy === "summarize" ? " and the latest summary" : ""} stay.`,
    });
  }
}

/** A committed turn handed back during a replay; the bus answers its send with the stored message. */
function replayedTurn(m: Message): Outgoing {
  return {
    from: m.from,
    to: m.to,
    type: m.type,
    content: m.content,
    referencesTo: m.referencesTo,
    confidence: m.confidence,
    provenance: m.provenance,
    usage: m.usage,
    round: m.round,
    repairs: m.repairs,
    routing: m.routing,
    ...(m.thought ? { thought: m.thought } : {}),
    ...(m.raw !== undefined ? { raw: m.raw } : {}),
  };
}

/** The router protocol's decision (which role) and the backend pool's (which server), together. */
function mergeRouting(protocol: Routing | null, backend: Routing | null): Routing | null {
  if (!protocol || !backend) return protocol ?? backend;
  return { backend: backend.backend, reason: `${protocol.reason}; ${backend.reason}` };
}
