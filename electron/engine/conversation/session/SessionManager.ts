/**
 * Every session of one engine: starting them from an experiment, following them, pausing, resuming
 * and aborting them, resuming or ending the ones an earlier process left `interrupted`, their
 * residency plans, and letting their seats go once they end.
 *
 * Every turn runs through the engine's backend pool (the runner's generator), which records where
 * it ran and counts cost per session against the experiment's `budget`. A finished session's seats
 * stay loaded for `keepWarmMs` (a rerun or a follow-up swap finds them warm), then are released
 * unless the user pinned them. When the engine closes, running sessions stop as `interrupted`.
 *
 * A session can be forked at one of its messages (forkSession.ts: the fork takes messages 1..N over
 * and runs on like a resumed session, with its own experiment) or replayed (its stored experiment,
 * seed included, run again and compared with it when it ends: replayReport.ts).
 */
import type { WorkspaceFile } from "../../../../shared/attachments.js";
import { Emitter } from "../../../../shared/emitter.js";
import { AttachmentError, resolveAttachments } from "../attachments/resolveAttachments.js";
import path from "node:path";
import type { AppEvent } from "../../../../shared/rpc.js";
import type { Experiment, ExperimentInput } from "../../../../shared/experiment.js";
import { requireExperiment } from "../../../../shared/experimentInput.js";
import type { JsonValue, Message, SessionInfo } from "../../../../shared/conversation.js";
import type { ReplayStart, SessionLineage } from "../../../../shared/lineage.js";
import type { EngineEvent } from "../../../../shared/slots.js";
import type { ResidencyPlan } from "../../../../shared/residency.js";
import type { SessionControl } from "../../../../shared/rpc.js";
import { resolveModelPath } from "./loadExperiment.js";
import { SessionRunner, type SessionOutcome } from "./SessionRunner.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import type { SessionBudgets } from "../../runtime/budget/SessionBudget.js";
import type { HumanOptions, SessionsService } from "../../Engine.js";
import { DecideRequest, type HumanWait, type SayRequest } from "../../../../shared/human.js";
import { moveSession } from "./sessionTransitions.js";
import { recordedAnswers } from "./recordedAnswers.js";
import { allMessages } from "../../data/store/allMessages.js";
import { planFor } from "../protocols/definitions.js";
import { predictTurns } from "../../runtime/residency/turnSequence.js";
import { sessionPlan } from "../../runtime/residency/sessionPlan.js";
import { isGeneratedRef } from "../../runtime/library/engineResolver.js";
import { experimentChanges, prepareFork } from "./forkSession.js";
import { replayWarnings } from "./replayWarnings.js";
import { closeReplayReport, openReplayReport } from "./replayReport.js";
import { randomInt } from "node:crypto";
import type { PreparedBackends, SessionBackends } from "../../backends/sessionBackends.js";

/** What the manager sends to a UI: session and message events, plus seat faults. */
export type SessionManagerEvent = AppEvent | Extract<EngineEvent, { type: "fault" }>;

export interface SessionManagerOptions {
  registry: SlotRegistry;
  store: SessionStore;
  generator: TurnGenerator;
  budgets: SessionBudgets;
  /** How long a finished session's seats stay loaded (ms). */
  keepWarmMs: () => number;
  defaultContextSize?: number;
  /** Folder relative model paths in an experiment resolve against (the CLI passes the file's folder). */
  baseDir?: string;
  /** Carries each experiment's per-role backends and its own backends into the pool, per session. */
  backends?: SessionBackends;
  /** Expands a preset into concrete settings before a new session is planned (evaluation/presets/presetService.ts). */
  prepare?: (experiment: Experiment) => Promise<Experiment>;
  /** Whether command checks may run unsandboxed where no sandbox exists (the `--allow-unsandboxed` flag or the setting). */
  allowUnsandboxed?: () => boolean;
}

/** A session id the manager does not run, in words the user can act on. */
class NotRunningError extends Error {
  constructor(session: SessionInfo, action: string) {
    super(`session ${session.id} is ${session.status}, so it cannot be ${action}` + (session.status === "running" ? " here: another process runs it" : ""));
    this.name = "NotRunningError";
  }
}

export class SessionManager implements SessionsService {
  private readonly running = new Map<string, { runner: SessionRunner; done: Promise<SessionOutcome> }>();
  private readonly events = new Emitter<SessionManagerEvent>();
  private readonly warm = new Map<string, NodeJS.Timeout>();
  private readonly defaultContextSize: number;

  constructor(private readonly options: SessionManagerOptions) {
    this.defaultContextSize = options.defaultContextSize ?? 2048;
  }

  /** Sessions an earlier process left running or paused become `interrupted`; returns them. */
  recoverInterrupted(): SessionInfo[] {
    return this.options.store.lifecycle.interruptOrphans().map((id) => this.mustGet(id));
  }

  onEvent(listener: (event: SessionManagerEvent) => void): () => void {
    return this.events.on(listener);
  }

  async list(): Promise<SessionInfo[]> {
    return this.options.store.listSessions();
  }

  async get(sessionId: string): Promise<SessionInfo> {
    return this.mustGet(sessionId);
  }

  async messages(sessionId: string, offset: number, limit: number) {
    const page = this.options.store.listMessages(sessionId, { afterSeq: offset, limit });
    return { messages: page.messages, total: this.mustGet(sessionId).messageCount };
  }

  async swaps(sessionId: string) {
    return this.options.store.listSwaps(sessionId);
  }

  /** Validates the experiment, refuses one whose models cannot fit at all, and starts it. */
  async create(input: ExperimentInput, human: HumanOptions = {}): Promise<SessionInfo> {
    const parsed = this.parse(input);
    const experiment = this.options.prepare ? await this.options.prepare(parsed) : parsed;
    await this.refuseUnfitting(experiment);
    const attachments = await this.attachmentsOf(experiment);
    return this.start(experiment, undefined, { ...(await this.prepared(experiment)), attachments, human });
  }

  async say(request: SayRequest): Promise<Message | null> {
    return this.live(request.sessionId, "spoken to").say(request);
  }

  async decide(request: DecideRequest): Promise<SessionInfo> {
    const parsed = DecideRequest.parse(request);
    this.live(parsed.sessionId, "answered").decide(parsed.decision, parsed.reason);
    return this.mustGet(parsed.sessionId);
  }

  async waiting(sessionId: string): Promise<HumanWait | null> {
    this.mustGet(sessionId);
    return this.running.get(sessionId)?.runner.waiting ?? null;
  }

  /** The runner of a session running here, or an error saying why it cannot be `action`. */
  private live(sessionId: string, action: string): SessionRunner {
    const live = this.running.get(sessionId);
    if (live) return live.runner;
    const session = this.mustGet(sessionId);
    if (session.status === "interrupted") throw new Error(`session ${sessionId} is interrupted: resume it first, then it can be ${action}`);
    throw new NotRunningError(session, action);
  }

  /** The experiment's attachments read from disk; any refused file stops the start with its path and reason. */
  private async attachmentsOf(experiment: Experiment): Promise<WorkspaceFile[]> {
    if (!experiment.attachments?.length) return [];
    const { files, refused } = await resolveAttachments(experiment.attachments, path.resolve(this.options.baseDir ?? process.cwd()));
    if (refused.length > 0) throw new AttachmentError(refused);
    return files;
  }

  private async refuseUnfitting(experiment: Experiment): Promise<void> {
    const plan = await this.previewParsed(experiment);
    if (plan.refused) throw new Error(`this experiment cannot run within the memory budget: ${plan.refused}`);
  }

  /** The runner of a session started here (compare runs follow their session through it). */
  runnerOf(sessionId: string): SessionRunner | null {
    return this.running.get(sessionId)?.runner ?? null;
  }

  async control(sessionId: string, action: SessionControl): Promise<SessionInfo> {
    const live = this.running.get(sessionId);
    const session = this.mustGet(sessionId);
    if (live) {
      if (action === "pause") live.runner.pause();
      else if (action === "resume") live.runner.resume();
      else if (action === "abort") live.runner.abort("aborted from the UI");
      else throw new Error(`session ${sessionId} is running; abort it instead of ending it`);
      return this.mustGet(sessionId);
    }
    if (session.status !== "interrupted") throw new NotRunningError(session, action === "resume" ? "resumed" : action === "end" ? "ended" : `${action}d`);
    if (this.options.store.lifecycle.runningElsewhere(sessionId)) throw new NotRunningError({ ...session, status: "running" }, "resumed");
    if (action === "resume") {
      const onEnd = session.origin?.kind === "replay" ? this.replayEnded(sessionId) : undefined;
      const experiment = this.parse(session.experiment);
      return this.start(experiment, session, { ...(onEnd ? { onEnd } : {}), ...(await this.prepared(experiment)) });
    }
    if (action === "end") {
      this.options.store.appendMessage({ sessionId, from: "system", to: "all", type: "system", content: "Session ended after an interruption; it was not resumed." });
      const ended = moveSession(this.options.store, sessionId, "aborted");
      if (ended.origin?.kind === "replay") closeReplayReport(this.options.store, sessionId, "aborted");
      this.emit({ type: "session", session: ended });
      return ended;
    }
    throw new NotRunningError(session, action === "pause" ? "paused" : "aborted");
  }

  async wait(sessionId: string): Promise<SessionOutcome> {
    const live = this.running.get(sessionId);
    if (!live) throw new Error(`session ${sessionId} is not running in this process`);
    return live.done;
  }

  async plan(sessionId: string): Promise<ResidencyPlan> {
    const live = this.running.get(sessionId);
    if (!live) throw new Error(`session ${sessionId} is not running in this process; only running sessions have a live plan`);
    return live.runner.keeper.plan();
  }

  async preview(input: ExperimentInput): Promise<ResidencyPlan> {
    return this.previewParsed(this.parse(input));
  }

  /**
   * Forks `sessionId` at its message `atSeq`: a new session with messages 1..atSeq that continues
   * live under `input` (default: the parent's stored experiment, seed included).
   */
  async fork(sessionId: string, atSeq: number, input?: ExperimentInput): Promise<SessionInfo> {
    const parent = this.mustGet(sessionId);
    const parsed = this.parse(input ?? parent.experiment);
    // The seed is stored with the fork before it runs, so it is fixed here rather than by the runner.
    const experiment = { ...parsed, seed: parsed.seed ?? randomInt(2 ** 31) };
    await this.refuseUnfitting(experiment);
    const fork = prepareFork(this.options.store, parent, atSeq, experiment);
    this.options.store.attachments.copy(parent.id, fork.session.id);
    return this.start(experiment, fork.session, { seatOn: fork.seatOn, ...(await this.prepared(experiment)) });
  }

  /** Reruns `sessionId`'s stored experiment as a new session, compared with it when it ends. */
  async replay(sessionId: string): Promise<ReplayStart> {
    const { store } = this.options;
    const source = this.mustGet(sessionId);
    const parsed = this.parse(source.experiment);
    await this.refuseUnfitting(parsed);
    const warnings = replayWarnings(store, source, parsed);
    // A source without a stored seed gets one here, stored with the replay, so the replay can be replayed.
    const experiment = { ...parsed, seed: parsed.seed ?? randomInt(2 ** 31) };
    const session = store.createSession({
      title: `${source.title} · replay`,
      task: experiment.task,
      protocolKind: experiment.protocol.kind,
      experiment: parsed.seed === undefined ? (JSON.parse(JSON.stringify(experiment)) as JsonValue) : source.experiment,
      status: "running",
    });
    store.lineage.setOrigin(session.id, { kind: "replay", sessionId: source.id, atSeq: null });
    store.attachments.copy(source.id, session.id);
    openReplayReport(store, source.id, session.id, warnings);
    // The researcher's turns and decisions come back as fixed inputs (recordedAnswers.ts).
    const answers = recordedAnswers([...allMessages(store, source.id)]);
    const human = answers.length > 0 ? { human: { answers } } : {};
    const started = this.start(experiment, this.mustGet(session.id), { onEnd: this.replayEnded(session.id), ...(await this.prepared(experiment)), ...human });
    return { session: started, warnings };
  }

  /** What follows a replay's end: the comparison (not while it is only interrupted: it may be resumed). */
  private replayEnded(replayId: string): (outcome: SessionOutcome) => void {
    return (outcome) => {
      if (outcome.status === "interrupted") return;
      closeReplayReport(this.options.store, replayId, outcome.status);
      // The report is part of what a UI shows for the session: tell it the session changed.
      this.emit({ type: "session", session: this.mustGet(replayId) });
    };
  }

  async lineage(sessionId: string): Promise<SessionLineage> {
    const session = this.mustGet(sessionId);
    const lineage = this.options.store.lineage;
    const parent = session.origin ? this.options.store.getSession(session.origin.sessionId) : null;
    return {
      parent,
      children: lineage.children(sessionId),
      report: lineage.report(sessionId),
      changes: parent && session.origin?.kind === "fork" ? experimentChanges(parent.experiment, session.experiment) : [],
    };
  }

  /** Interrupts every running session (resumable later) and waits for them to stop. */
  async close(): Promise<void> {
    for (const t of this.warm.values()) clearTimeout(t);
    this.warm.clear();
    const live = [...this.running.values()];
    for (const { runner } of live) runner.interrupt("the engine is shutting down");
    await Promise.all(live.map((l) => l.done.catch(() => undefined)));
  }

  private parse(input: ExperimentInput | unknown): Experiment {
    const experiment = requireExperiment(input, this.options.backends?.known());
    const base = path.resolve(this.options.baseDir ?? process.cwd());
    const resolve = (ref: string) => (isGeneratedRef(ref) ? ref : resolveModelPath(ref, base));
    return {
      ...experiment,
      roles: experiment.roles.map((r) => (r.model === undefined ? r : { ...r, model: resolve(r.model) })),
      swaps: experiment.swaps.map((s) => ({ ...s, model: resolve(s.model) })),
    };
  }

  private previewParsed(experiment: Experiment): Promise<ResidencyPlan> {
    return sessionPlan({
      registry: this.options.registry,
      sessionId: null,
      experiment,
      turns: predictTurns(experiment, planFor(experiment)),
      models: new Map(),
      resident: [],
      from: 0,
      defaultContextSize: this.defaultContextSize,
      remote: this.options.backends?.remoteRoles(experiment) ?? [],
    });
  }

  /** The experiment's own backends and routes, built (keys read) before its session starts. */
  private async prepared(experiment: Experiment): Promise<{ backends?: PreparedBackends }> {
    const backends = await this.options.backends?.prepare(experiment);
    return backends ? { backends } : {};
  }

  /**
   * Runs `experiment` as a new session, or as the stored session `resume` (interrupted, or a fork or
   * replay prepared beforehand); `onEnd` runs once the session has ended, before `wait` resolves;
   * `backends` are its per-role routes and own backends, bound to it for as long as it runs.
   */
  private start(
    experiment: Experiment,
    resume?: SessionInfo,
    extra: { seatOn?: ReadonlyMap<string, string>; onEnd?: (outcome: SessionOutcome) => void; backends?: PreparedBackends; human?: HumanOptions; attachments?: readonly WorkspaceFile[] } = {},
  ): SessionInfo {
    const { registry, store, generator, budgets } = this.options;
    const runner = new SessionRunner({
      experiment,
      store,
      registry,
      generator,
      defaultContextSize: this.defaultContextSize,
      ...(resume ? { resume } : {}),
      ...(extra.seatOn ? { seatOn: extra.seatOn } : {}),
      remoteRoles: this.options.backends?.remoteRoles(experiment) ?? [],
      ...(extra.human?.answers ? { answers: extra.human.answers } : {}),
      ...(extra.human?.attended !== undefined ? { attended: extra.human.attended } : {}),
      ...(extra.attachments ? { attachments: extra.attachments } : {}),
      ...(this.options.allowUnsandboxed?.() ? { allowUnsandboxed: true } : {}),
      baseDir: path.resolve(this.options.baseDir ?? process.cwd()),
    });
    const id = runner.sessionId;
    // The session's routes and own backends exist from here to its end.
    extra.backends?.bind(id);
    const warm = this.warm.get(id);
    if (warm) clearTimeout(warm);
    if (experiment.budget) {
      budgets.setLimit(id, { limit: experiment.budget.usd, ...(experiment.budget.switchAt !== undefined ? { switchAt: experiment.budget.switchAt } : {}) });
    }
    runner.onEvent((e) => {
      if (e.type === "message") this.emit({ type: "message", message: e.message });
      else if (e.type === "status") this.emit({ type: "session", session: e.session });
      else if (e.type === "speaker") this.emit({ type: "speaker", sessionId: e.sessionId, role: e.role, generationId: e.generationId });
      else if (e.type === "fault") this.emit({ type: "fault", sessionId: id, fault: e.fault });
      else if (e.type === "progress") this.emit({ type: "progress", sessionId: id, text: e.text });
      else if (e.type === "waiting") this.emit({ type: "waiting", sessionId: id, wait: e.wait });
    });
    const done = runner
      .run()
      .then((outcome) => {
        try {
          extra.onEnd?.(outcome);
        } catch (error) {
          // The session itself ended; what follows its end must not turn into an unhandled failure.
          this.emit({ type: "progress", sessionId: id, text: `after the end: ${error instanceof Error ? error.message : String(error)}` });
        }
        return outcome;
      })
      .finally(() => {
        this.options.backends?.release(id);
        this.running.delete(id);
        this.releaseLater(id);
      });
    this.running.set(id, { runner, done });
    const started = this.mustGet(id);
    this.emit({ type: "session", session: started });
    return started;
  }

  /** After the keep-warm time the session's seats go (the user's pinned ones stay). */
  private releaseLater(sessionId: string): void {
    const ms = this.options.keepWarmMs();
    const release = () => {
      this.warm.delete(sessionId);
      if (!this.running.has(sessionId)) void this.options.registry.releaseSession(sessionId).catch(() => undefined);
    };
    if (ms <= 0) return release();
    const timer = setTimeout(release, ms);
    timer.unref();
    this.warm.set(sessionId, timer);
  }

  private mustGet(id: string): SessionInfo {
    const s = this.options.store.getSession(id);
    if (!s) throw new Error(`no session ${id}`);
    return s;
  }

  private emit(e: SessionManagerEvent): void {
    // One broken listener must not starve the others.
    this.events.emit(e);
  }
}
