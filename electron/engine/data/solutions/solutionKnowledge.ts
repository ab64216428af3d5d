/**
 * The solution library inside one session — what the session runner asks of it, at three points:
 *  1. before the session exists: retrieve (or, for a resumed session, read back what it retrieved
 *     then; a fork or replay takes its source's retrieval, so it takes the same path) and choose
 *     the plan: a reuse session runs a single confirmation instead of the protocol;
 *  2. after the task is posted: send the note naming the path and the `retrieved` messages, and
 *     record the retrieval (table `library_uses`) with the hit, the similarity, the path and the
 *     running hit rate (metrics `library.*`);
 *  3. at the end: the time saved against the offered past session's generation time
 *     (`library.savedMs`).
 * An experiment without `library.use` gets inert knowledge: nothing is retrieved or recorded.
 */
import type { Message, SessionInfo } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { LibraryUse, RetrievedItem } from "../../../../shared/solutionLibrary.js";
import type { Outgoing } from "../../conversation/bus/ConversationBus.js";
import type { ProtocolPlan } from "../../conversation/protocols/plan.js";
import type { SessionStore } from "../store/sessionStore.js";
import { pathNote, retrievedText, reusePlan } from "./libraryPaths.js";
import { librarySettings, retrieve, type LibrarySettings, type Retrieval } from "./solutionLibrary.js";

/** The bus as the library needs it. */
export interface LibraryBus {
  readonly sessionId: string;
  readonly replaying: boolean;
  send(outgoing: Outgoing): Message;
}

export class SolutionKnowledge {
  private sessionId: string | null = null;
  private use: LibraryUse | null = null;

  private constructor(
    private readonly store: SessionStore,
    private readonly settings: LibrarySettings | null,
    private readonly retrieval: Retrieval | null,
  ) {}

  /** Retrieves for a new session, or reads back a resumed (or forked, or replayed) session's retrieval. */
  static open(store: SessionStore, experiment: Experiment, resume: SessionInfo | null): SolutionKnowledge {
    if (!experiment.library?.use) return new SolutionKnowledge(store, null, null);
    const settings = librarySettings(experiment.library);
    const uses = store.libraryUses;
    const earlier = resume ? (uses.get(resume.id) ?? (resume.origin ? uses.get(resume.origin.sessionId) : null)) : null;
    const retrieval: Retrieval = earlier
      ? { path: earlier.path, bestSimilarity: earlier.bestSimilarity, items: earlier.items.map((i) => ({ ...i, messageId: null })) }
      : retrieve(store, experiment.task, settings, resume ? [resume.id, ...(resume.origin ? [resume.origin.sessionId] : [])] : []);
    return new SolutionKnowledge(store, settings, retrieval);
  }

  /** The plan to run: the protocol's own, or the reuse confirmation. */
  plan(base: ProtocolPlan, experiment: Experiment): ProtocolPlan {
    const r = this.retrieval;
    return r?.path === "reuse" && r.items[0] ? reusePlan(base, experiment, r.items[0]) : base;
  }

  /**
   * Posts the path and the retrieved material (after the task), recording the retrieval once with
   * the running hit rate; a resumed session's replay takes the stored messages instead.
   */
  introduce(bus: LibraryBus): void {
    const r = this.retrieval;
    if (!r || !this.settings) return;
    const uses = this.store.libraryUses;
    this.sessionId = bus.sessionId;
    const use =
      uses.get(bus.sessionId) ??
      uses.record({ sessionId: bus.sessionId, path: r.path, bestSimilarity: r.bestSimilarity, items: r.items, ...this.settings, hit: r.path === "fresh" ? 0 : 1 });
    this.use = use;
    const fresh = !bus.replaying;
    bus.send({ from: "system", to: "all", type: "system", round: 0, content: pathNote(r.path, r.bestSimilarity, r.items, this.settings) });
    const sent: RetrievedItem[] = r.items.map((item) => {
      const m = bus.send({ from: "system", to: "all", type: "retrieved", round: 0, content: retrievedText(item, r.path) });
      return { ...item, messageId: m.id };
    });
    if (!fresh) return;
    uses.updateItems(bus.sessionId, sent);
    const metric = (name: string, value: number): void => void this.store.recordMetric({ sessionId: bus.sessionId, name, value });
    metric("library.hit", use.hit);
    metric("library.similarity", r.bestSimilarity);
    metric(`library.path.${r.path}`, 1);
    metric("library.hitRate", use.hitRate);
  }

  /** Records the time saved against the offered past session's generation (once the session's own duration is known). */
  finish(durationMs: number): void {
    const r = this.retrieval;
    if (!r || !this.sessionId || !this.use) return;
    const reference = r.items[0]?.generationMs ?? null;
    const saved = r.path === "fresh" ? 0 : reference === null ? null : reference - durationMs;
    if (saved === null) return;
    this.store.libraryUses.recordSaved(this.sessionId, saved);
    this.store.recordMetric({ sessionId: this.sessionId, name: "library.savedMs", value: saved });
  }
}
