/**
 * The orchestrator: seats the experiment's roles (a seat per role of this session), runs the protocol
 * plan, and records everything in the store as it happens — each message when it is emitted (the bus
 * commits before it publishes), slot assignments, swaps, votes and context-policy metrics. Residency
 * is the {@link SeatKeeper}'s: before each turn it makes the speakers resident (rotating when the
 * committee does not fit) and while a turn generates it prefetches the next. Sessions can be paused,
 * resumed and aborted at any time, and an interrupted session can be resumed from the store: the plan
 * is replayed against the committed messages and continues live after the last one.
 */
import { randomInt } from "node:crypto";
import { Emitter } from "../../../../shared/emitter.js";
import type { JsonValue, Message, SessionInfo, SessionStatus } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ChatTurn, SeatFault } from "../../../../shared/slots.js";
import { ConversationBus, type BusEvent, type Outgoing } from "../bus/ConversationBus.js";
import { SlotTurnGenerator } from "../bus/SlotTurnGenerator.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import { labelOf } from "../bus/perspective.js";
import { planFor } from "../protocols/definitions.js";
import { ROUTED, type ProtocolPlan, type SpeakStep, type Step, type When } from "../protocols/plan.js";
import type { RouteDecision, routeTask } from "../protocols/router.js";
import { learnedRoute, learnModelWeights, routeWithLearning } from "./learnedRouting.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { predictTurns } from "../../runtime/residency/turnSequence.js";
import { allMessages } from "../../data/store/allMessages.js";
import { RoleTurns, type SeatedRole, type TurnAsk } from "./RoleTurns.js";
import { SessionControl } from "./SessionControl.js";
import { SeatKeeper, type SeatKeeperDeps } from "./SeatKeeper.js";
import { runVoteStep, type VoteContext } from "./voteStep.js";
import { seatRoles } from "./seatRoles.js";
import { RoundStarts } from "./rounds.js";
import { takeTurns } from "./turnTaking.js";
import type { TypedFormat } from "./typedFormat.js";
import { recordSessionResult } from "./resultMessage.js";
import { SolutionKnowledge } from "../../data/solutions/solutionKnowledge.js";
import { describeWait, type HumanAnswer, type HumanWait, type SayRequest } from "../../../../shared/human.js";
import { HumanDesk } from "./HumanDesk.js";
import { SessionStatusMachine } from "./sessionTransitions.js";
import { ResearcherSteps } from "./ResearcherSteps.js";
import type { WorkspaceFile } from "../../../../shared/attachments.js";
import { SessionCode } from "./sessionCode.js";
import { checkResult, runCommandStep, type CommandStepContext } from "./commandStep.js";

/** Bus events plus the session's own: status changes, faults and one-line progress notes. */
export type SessionEvent =
  | BusEvent
  | { type: "status"; session: SessionInfo }
  | { type: "progress"; text: string }
  | { type: "fault"; fault: SeatFault }
  /** What the session waits for from the researcher, or null once it goes on. */
  | { type: "waiting"; wait: HumanWait | null };

export interface SessionRunnerOptions {
  /** A validated experiment whose model paths are already resolved (see loadExperiment). */
  experiment: Experiment;
  store: SessionStore;
  registry: SlotRegistry;
  /** Defaults to the slot engine itself (no backend pool). */
  generator?: TurnGenerator;
  /** Context size of each role's seat when the role names none. Default 2048. */
  defaultContextSize?: number;
  /**
   * A stored session to run instead of creating a new one (its experiment is `experiment`): an
   * interrupted one, or a fork or replay prepared beforehand. Its committed messages are replayed.
   */
  resume?: SessionInfo;
  /** The model each role is seated on, instead of its last assignment or the experiment's (a fork's seats at its fork point). */
  seatOn?: ReadonlyMap<string, string>;
  /** Roles whose turns go to remote backends: the keeper keeps their seats parked. */
  remoteRoles?: SeatKeeperDeps["remote"];
  /** Answers to the session's waits, used in order before anyone is asked (`--answers`, a replay's recorded answers). */
  answers?: readonly HumanAnswer[];
  /** Whether someone can answer a wait live (default true); without, an unanswerable wait fails the session naming what it waited for. */
  attended?: boolean;
  /** How typed turns are written (conversation/session/typedFormat.ts); default the measured better design, `content-first`. */
  typedFormat?: TypedFormat;
  /** A new session's resolved attachments (a stored session reads its own from the store). */
  attachments?: readonly WorkspaceFile[];
  /** Command checks may run without a sandbox where none exists (the user's explicit choice). */
  allowUnsandboxed?: boolean;
  /** Where a command check's `checkFiles[].from` resolve (the experiment file's folder). */
  baseDir?: string;
}

export interface SessionOutcome {
  session: SessionInfo;
  status: SessionStatus;
  messages: Message[];
  error: string | null;
}

interface Frame {
  iteration: number;
  attempt: number;
  max: number;
  routed: string | null;
}

export class SessionRunner {
  readonly sessionId: string;
  readonly bus: ConversationBus;
  readonly control = new SessionControl();
  readonly experiment: Experiment;
  readonly plan: ProtocolPlan;
  readonly keeper: SeatKeeper;
  /** The solution library's part: retrieval, the reuse plan, hits and time saved (solutions/). */ private readonly knowledge: SolutionKnowledge;
  /** Attachments, artifacts and command checks (sessionCode.ts). */
  readonly code: SessionCode;
  private readonly store: SessionStore;
  private readonly registry: SlotRegistry;
  private readonly generator: TurnGenerator;
  private readonly events = new Emitter<SessionEvent>();
  private readonly seats = new Map<string, SeatedRole>();
  /** Model fingerprint per seated role, for learned routing. */
  private readonly fingerprints = new Map<string, string>();
  private readonly phaseLog: { phase: string; round: number; message: Message }[] = [];
  private readonly defaultContextSize: number;
  private readonly resumed: boolean;
  private readonly seatOn: ReadonlyMap<string, string> | null;
  private round = 0;
  private started = false;
  /** The only writer of this session's status (sessionTransitions.ts). */
  private readonly status: SessionStatusMachine;
  /** The researcher's side: human seats, decisions, scripted answers (HumanDesk.ts). */
  readonly human: HumanDesk;
  /** Say, decide, the next speaker and approvals (ResearcherSteps.ts). */
  private readonly researcher: ResearcherSteps;

  constructor(options: SessionRunnerOptions) {
    // A seed is always fixed and stored, so a session without one can still be rerun exactly.
    this.experiment = { ...options.experiment, seed: options.experiment.seed ?? randomInt(2 ** 31) };
    this.store = options.store;
    this.registry = options.registry;
    this.defaultContextSize = options.defaultContextSize ?? 2048;
    this.generator = options.generator ?? new SlotTurnGenerator(options.registry);
    this.knowledge = SolutionKnowledge.open(this.store, this.experiment, options.resume ?? null);
    this.plan = this.knowledge.plan(planFor(this.experiment), this.experiment);
    this.resumed = options.resume !== undefined;
    this.seatOn = options.seatOn ?? null;
    this.typedFormat = options.typedFormat ?? null;
    const session =
      options.resume ??
      this.store.createSession({
        title: this.experiment.title,
        task: this.experiment.task,
        protocolKind: this.experiment.protocol.kind,
        experiment: JSON.parse(JSON.stringify(this.experiment)) as JsonValue,
        status: "running",
      });
    this.sessionId = session.id;
    this.store.lifecycle.claim(session.id);
    this.status = new SessionStatusMachine(this.store, session.id, (s) => this.emit({ type: "status", session: s }));
    this.human = new HumanDesk({
      control: this.control,
      ...(options.answers ? { answers: options.answers } : {}),
      ...(options.attended !== undefined ? { attended: options.attended } : {}),
      setWait: (wait) => {
        this.status.moveTo(wait ? "waiting" : "running");
        this.emit({ type: "waiting", wait });
        if (wait) this.progress(describeWait(wait));
      },
    });
    this.code = new SessionCode({ store: this.store, sessionId: session.id, experiment: this.experiment, defaultContextSize: this.defaultContextSize, ...(options.resume ? {} : { files: options.attachments ?? [] }), ...(options.allowUnsandboxed ? { allowUnsandboxed: true } : {}), ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
    const committed = options.resume ? [...allMessages(this.store, session.id)] : [];
    this.bus = new ConversationBus(session.id, this.store, committed);
    this.bus.subscribe((e) => this.emit(e));
    this.keeper = new SeatKeeper({
      registry: this.registry,
      sessionId: this.sessionId,
      experiment: this.experiment,
      turns: predictTurns(this.experiment, this.plan),
      defaultContextSize: this.defaultContextSize,
      view: (role) => this.viewOf(role),
      note: (text) => this.system(text),
      metric: (name, value, role) => this.metric(name, value, role),
      fault: (fault) => this.emit({ type: "fault", fault }),
      ...(options.remoteRoles ? { remote: options.remoteRoles } : {}),
    });
    const [bus, store, human, control, keeper, seats] = [this.bus, this.store, this.human, this.control, this.keeper, this.seats];
    const chair = this.experiment.protocol.chair ?? this.experiment.roles[0]!.name;
    this.researcher = new ResearcherSteps({ sessionId: this.sessionId, experiment: this.experiment, store, chair, bus, human, control, keeper, seats, round: () => this.round, system: (c) => this.system(c), log: (p, m) => this.log(p, m) });
  }

  onEvent(listener: (e: SessionEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Pauses before the next turn (not while the session waits for the researcher: answer or abort then). */
  pause(): void {
    const wait = this.human.waiting;
    if (wait) throw new Error(`session ${this.sessionId} is ${describeWait(wait)}; answer it or abort it`);
    if (this.control.pause()) this.setStatus("paused");
  }

  /** What the session waits for from the researcher, or null. */
  get waiting(): HumanWait | null {
    return this.human.waiting;
  }

  /** The researcher speaks: the awaited human seat's turn, or an interjection (ResearcherSteps.ts). */
  say(request: SayRequest): Message | null {
    return this.researcher.say(request);
  }

  /** Answers a decision the session waits for (a tie, the next speaker, an approval). */
  decide(decision: string, reason: string): void {
    this.researcher.decide(decision, reason);
  }

  resume(): void {
    if (this.control.resume()) this.setStatus("running");
  }

  /** Stops the turn in flight (its partial text is recorded) and ends the session as aborted. */
  abort(reason?: string): void {
    this.control.abort(reason);
  }

  /** Stops the session resumably (the engine is closing): it ends as `interrupted`, nothing half-done is recorded. */
  interrupt(reason: string): void {
    this.control.interrupt(reason);
  }

  /** Runs the session to its end; never throws for model or protocol failures (see `status`, `error`). */
  async run(): Promise<SessionOutcome> {
    if (this.started) throw new Error("a session runs once");
    this.started = true;
    let status: SessionStatus = "completed";
    let error: string | null = null;
    const t0 = Date.now();
    const unsubscribe = this.registry.onEvent((e) => {
      if (e.sessionId !== this.sessionId) return;
      if (e.type === "swap" && this.seats.has(e.event.role)) this.rounds.recordSwap(e.event, this.round);
      else if (e.type === "swap-gap") this.store.lifecycle.recordSwapGap(this.sessionId, e.role, e.swapAt, e.visibleGapMs);
    });
    if (this.resumed) this.setStatus("running");
    try {
      this.keeper.pin(true);
      await this.seatRoles();
      this.bus.send({ from: "user", to: "all", type: "question", content: this.experiment.task, round: 0 });
      const attached = this.code.view();
      if (attached) this.bus.send({ from: "user", to: "all", type: "question", content: attached, round: 0 });
      this.bus.send({ from: "system", to: "all", type: "system", content: `Protocol: ${this.plan.summary}. Seed ${this.experiment.seed}.`, round: 0 });
      this.knowledge.introduce(this.bus);
      const roles = [...this.seats.keys()];
      await this.exec(this.plan.steps, { iteration: 0, attempt: 1, max: 1, routed: roles[0] ?? null });
      this.rounds.noteUnfired(this.round);
      // The message the session ends with as its answer (resultMessage.ts): what evaluations check.
      const result = recordSessionResult(this.store, this.sessionId, this.plan.kind, this.phaseLog);
      await checkResult(this.commandContext(), result.messageId);
    } catch (e) {
      ({ status, error } = this.control.endOf(e));
      if (status !== "interrupted") this.bus.send({ from: "system", to: "all", type: "system", content: `Session ${status}: ${error}`, round: this.round });
    } finally {
      this.keeper.close();
      unsubscribe();
    }
    const messages = this.bus.history();
    const completion = messages.reduce((s, m) => s + (m.usage?.completionTokens ?? 0), 0);
    this.store.recordMetric({ sessionId: this.sessionId, name: "session.completionTokens", value: completion });
    this.knowledge.finish(this.store.recordMetric({ sessionId: this.sessionId, name: "session.durationMs", value: Date.now() - t0 }).value);
    const session = this.setStatus(status);
    return { session, status, messages, error };
  }

  /** Seats every role (see seatRoles.ts), then loads what fits in speaking order. */
  private async seatRoles(): Promise<void> {
    await seatRoles(
      {
        experiment: this.experiment,
        guidance: this.plan.guidance,
        store: this.store,
        sessionId: this.sessionId,
        resumed: this.resumed,
        seatOn: this.seatOn,
        keeper: this.keeper,
        checkpoint: () => this.control.checkpoint(),
        progress: (text) => this.progress(text),
        defaultContextSize: this.defaultContextSize,
      },
      this.seats,
      this.fingerprints,
    );
    this.progress("loading the seats that fit");
    await this.keeper.warmStart();
  }

  private get rounds(): RoundStarts {
    return (this.roundsCache ??= new RoundStarts({
      experiment: this.experiment,
      sessionId: this.sessionId,
      store: this.store,
      registry: this.registry,
      generator: this.generator,
      bus: this.bus,
      keeper: this.keeper,
      seats: this.seats,
      fingerprints: this.fingerprints,
      checkpoint: () => this.control.checkpoint(),
      progress: (text) => this.progress(text),
      system: (content) => this.system(content),
    }));
  }
  private roundsCache: RoundStarts | null = null;


  private turns(): RoleTurns {
    return (this.turnsCache ??= new RoleTurns(this.experiment, this.experiment.seed ?? 0, this.seats, this.bus, this.store, this.generator, this.control, this.human, {
      ...(this.typedFormat ? { format: this.typedFormat } : {}),
    }));
  }
  private turnsCache: RoleTurns | null = null;
  private readonly typedFormat: TypedFormat | null;

  /** A role's view now (the same one its turn would get), for prefetching. */
  private viewOf(role: string): ChatTurn[] {
    const seat = this.seats.get(role);
    if (!seat) return [];
    return this.turns().view(seat, false, false).turns;
  }

  /** One or more turns taken at once (turnTaking.ts). */
  private takeTurns(asks: TurnAsk[]): Promise<Outgoing[]> {
    this.researcher.sendDueInterjections();
    return takeTurns({ bus: this.bus, keeper: this.keeper, turns: this.turns(), metric: (n, v) => this.metric(n, v) }, asks);
  }

  private async exec(steps: readonly Step[], frame: Frame): Promise<void> {
    for (const step of steps) {
      switch (step.op) {
        case "speak":
          if (applies(step.when, frame)) await this.speak(step, frame);
          break;
        case "vote":
          if (applies(step.when, frame)) await runVoteStep(this.voteContext(), step);
          break;
        case "round":
          if (!applies(step.when, frame)) break;
          await this.beginRound();
          await this.exec(step.body, frame);
          break;
        case "rounds":
          for (let i = 0; i < step.count; i++) {
            await this.beginRound();
            await this.exec(step.body, { ...frame, iteration: i, attempt: i + 1, max: step.count });
            const stop = step.stopWhen;
            const said = stop ? this.phaseLog.filter((p) => p.phase === stop.phase && p.round === this.round) : [];
            if (stop && said.length > 0 && said.every((p) => p.message.type === stop.type) && i < step.count - 1) {
              this.system(`Stopping rule: every ${stop.phase} of round ${this.round} is a ${stop.type}; the rounds end early.`);
              break;
            }
          }
          break;
        case "loop": {
          let passed = false;
          for (let i = 0; i < step.maxAttempts && !passed; i++) {
            await this.beginRound();
            await this.exec(step.body, { ...frame, iteration: i, attempt: i + 1, max: step.maxAttempts });
            const last = this.phaseLog.filter((p) => p.phase === step.passWhen.phase).at(-1)?.message;
            passed = last?.type === step.passWhen.type;
            const answer = this.phaseLog.filter((p) => p.phase !== step.passWhen.phase && p.round === this.round && p.message.from !== "user").at(-1)?.message;
            if (last) passed = await this.researcher.gate(passed, last, step.passWhen.phase, answer);
            if (passed && last) this.system(`Validation passed on attempt ${i + 1} (${labelOf(last)}).`);
          }
          if (!passed) {
            this.system(`Validation did not pass within ${step.maxAttempts} attempts; final best effort.`);
            await this.beginRound();
            await this.exec(step.onFail, { ...frame, iteration: step.maxAttempts, attempt: step.maxAttempts, max: step.maxAttempts });
          }
          break;
        }
        case "command":
          if (applies(step.when, frame)) await runCommandStep(this.commandContext(), step);
          break;
        case "route": {
          const decision = this.route(step.rules, step.bands);
          this.system(`Router: the task goes to ${decision.role} (${decision.reason}).`);
          await this.exec(step.body, { ...frame, routed: decision.role });
          break;
        }
      }
    }
  }

  private async speak(step: SpeakStep, frame: Frame): Promise<void> {
    const speakers = step.speakers.map((s) => (s === ROUTED ? (frame.routed ?? s) : s));
    const text = step.instruction
      .replaceAll("{round}", String(this.round))
      .replaceAll("{attempt}", String(frame.attempt))
      .replaceAll("{max}", String(frame.max));
    this.bus.send({ from: "system", to: speakers, type: "system", content: text, round: this.round });
    const routing = step.speakers.includes(ROUTED) ? this.routingNote() : undefined;
    const ask = (role: string): TurnAsk => ({ role, types: step.types, round: this.round, privateView: step.privateView ?? false, ...(step.plain ? { plain: true } : {}), ...(routing ? { routing } : {}) });
    if (step.concurrent) {
      // Generated at once, sent in speaker order, so the transcript does not depend on timing.
      const drafts = await this.takeTurns(speakers.map(ask));
      for (const d of drafts) this.log(step.phase, this.bus.send(d));
    } else if (this.experiment.protocol.nextSpeaker === "manual" && speakers.length > 1) {
      // Every free turn waits for the researcher to pick who speaks, among those who have not yet.
      const left = [...speakers];
      while (left.length > 0) {
        const role = left.length === 1 ? left[0]! : await this.researcher.chooseSpeaker(left);
        left.splice(left.indexOf(role), 1);
        this.log(step.phase, this.bus.send((await this.takeTurns([ask(role)]))[0]!));
      }
    } else {
      for (const role of speakers) this.log(step.phase, this.bus.send((await this.takeTurns([ask(role)]))[0]!));
    }
  }

  /** Rules first; then, with `protocol.learn`, recorded outcomes; then the complexity bands. */
  private route(rules: Parameters<typeof routeTask>[1], bands: Parameters<typeof routeTask>[2]): RouteDecision {
    const learned = () => learnedRoute(learnModelWeights(this.store, this.sessionId), [...this.fingerprints].map(([name, fingerprint]) => ({ name, fingerprint })));
    return routeWithLearning(this.experiment.task, rules, bands, this.experiment.roles[0]!.name, this.experiment.protocol.learn ? learned : null);
  }

  private routingNote(): { backend: string; reason: string } {
    const note = this.bus.history({ from: "system" }).findLast((m) => m.content.startsWith("Router:"));
    return { backend: this.generator.backend, reason: note?.content ?? "routed" };
  }

  private commandContext(): CommandStepContext {
    return { experiment: this.experiment, bus: this.bus, code: this.code, round: this.round, phaseLog: this.phaseLog, log: (p, m) => this.log(p, m) };
  }

  private voteContext(): VoteContext {
    return {
      experiment: this.experiment,
      sessionId: this.sessionId,
      store: this.store,
      bus: this.bus,
      round: this.round,
      phaseLog: this.phaseLog,
      system: (content) => this.system(content),
      takeTurns: (asks) => this.takeTurns(asks),
      log: (phase, message) => this.log(phase, message),
      human: this.human,
      chair: this.researcher.chair,
    };
  }


  /** A new round: the counter moves, and the round's scheduled swaps and state stage run (rounds.ts). */
  private async beginRound(): Promise<void> {
    this.round++;
    await this.control.checkpoint();
    this.progress(`round ${this.round}`);
    await this.rounds.begin(this.round);
  }

  private log(phase: string, message: Message): void {
    this.phaseLog.push({ phase, round: this.round, message });
  }

  private system(content: string): void {
    this.bus.send({ from: "system", to: "all", type: "system", content, round: this.round });
  }

  private metric(name: string, value: number, role?: string): void {
    this.store.recordMetric({ sessionId: this.sessionId, name, value, ...(role ? { role } : {}) });
  }

  private progress(text: string): void {
    this.emit({ type: "progress", text });
  }

  private setStatus(status: SessionStatus): SessionInfo {
    return this.status.moveTo(status);
  }

  private emit(event: SessionEvent): void {
    // Listeners (UI, CLI) must not break the session.
    this.events.emit(event);
  }
}

function applies(when: When | undefined, frame: Frame): boolean {
  return when === undefined || when === "always" || (when === "first" ? frame.iteration === 0 : frame.iteration > 0);
}
