/**
 * Side-by-side compare: one prompt to N models in shuffled, blind columns, then a human's pick.
 *
 * A compare run is a session like any other — a `compare` protocol whose roles are the column
 * labels (A, B, …), seated on the models in a random order, with no model vote — so it gets seats,
 * residency, the store and export for free. This runner only keeps the blind view: the columns
 * stream each label's answer and name no model until the vote reveals them.
 */
import { randomInt } from "node:crypto";
import type { CompareRun, RpcEvent } from "../../../../shared/rpc.js";
import type { Message } from "../../../../shared/conversation.js";
import type { SamplingInput } from "../../../../shared/slots.js";
import type { ExperimentInput } from "../../../../shared/experiment.js";
import type { CompareService } from "../../Engine.js";
import type { SessionManager } from "../session/SessionManager.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { streamedContent } from "./streamedContent.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { CompareVoteRecord } from "../../evaluation/arena/compareVote.js";

interface Hidden {
  run: CompareRun;
  /** Per label, the model reference that answers it. */
  refs: Map<string, string>;
  /** Raw streamed text per label (a plain answer, or a typed turn's JSON), from which the content is shown. */
  raw: Map<string, string>;
}

/** A human's verdict, recorded for the arena (evaluation/arena/compareVote.ts); given by the engine. */
export type CompareVoteRecorder = (vote: CompareVoteRecord) => Promise<void>;

export class CompareRunner implements CompareService {
  readonly #runs = new Map<string, Hidden>();
  readonly #off: () => void;

  constructor(
    private readonly sessions: SessionManager,
    private readonly store: SessionStore,
    events: { onEvent(listener: (e: RpcEvent) => void): () => void },
    private readonly emit: (event: RpcEvent) => void,
    private readonly recordVote?: CompareVoteRecorder,
  ) {
    this.#off = events.onEvent((e) => this.#follow(e));
  }

  /** Starts a run and returns at once with its blind columns; progress arrives as events. */
  async run(prompt: string, modelRefs: string[], sampling?: SamplingInput): Promise<CompareRun> {
    const shuffled = shuffle(modelRefs);
    const labels = shuffled.map((_, i) => String.fromCharCode(65 + i));
    const experiment: ExperimentInput = {
      title: `Compare: ${prompt.slice(0, 60)}`,
      task: prompt,
      roles: labels.map((name, i) => ({
        name,
        model: shuffled[i]!,
        ...(sampling?.temperature !== undefined ? { temperature: sampling.temperature } : {}),
        ...(sampling?.maxTokens !== undefined ? { maxTokens: sampling.maxTokens } : {}),
        ...(sampling?.topP !== undefined ? { topP: sampling.topP } : {}),
        ...(sampling?.topK !== undefined ? { topK: sampling.topK } : {}),
      })),
      protocol: { kind: "compare", vote: false },
      ...(sampling?.seed !== undefined ? { seed: sampling.seed } : {}),
    };
    const session = await this.sessions.create(experiment);
    const run: CompareRun = {
      id: session.id,
      prompt,
      winner: null,
      createdAt: Date.now(),
      columns: labels.map((label) => ({ label, model: null, status: "loading", text: "", error: null, result: null })),
    };
    const hidden: Hidden = { run, refs: new Map(labels.map((l, i) => [l, shuffled[i] ?? ""])), raw: new Map() };
    this.#runs.set(run.id, hidden);
    return this.#public(hidden);
  }

  /** Records the human's pick and reveals every column's model. */
  async vote(compareId: string, winner: string): Promise<CompareRun> {
    const hidden = this.#runs.get(compareId);
    if (!hidden) throw new Error(`no compare run "${compareId}"`);
    if (winner !== "tie" && winner !== "both-bad" && !hidden.run.columns.some((c) => c.label === winner)) throw new Error(`no column "${winner}" in ${compareId}`);
    if (hidden.run.winner !== null) throw new Error(`${compareId} already has a vote (${hidden.run.winner})`);
    hidden.run.winner = winner;
    const assignments = this.store.listAssignments(compareId);
    for (const column of hidden.run.columns) column.model = assignments.findLast((a) => a.role === column.label)?.model ?? null;
    await this.recordVote?.({ compareId, sessionId: compareId, prompt: hidden.run.prompt, verdict: winner, columns: hidden.run.columns, at: Date.now() });
    const run = this.#public(hidden);
    this.emit({ type: "compare", run });
    return run;
  }

  async pending(): Promise<CompareRun[]> {
    return [...this.#runs.values()].filter((h) => h.run.winner === null).map((h) => this.#public(h));
  }

  dispose(): void {
    this.#off();
  }

  #follow(e: RpcEvent): void {
    const sessionId = "sessionId" in e ? e.sessionId : e.type === "message" ? e.message.sessionId : e.type === "session" ? e.session.id : null;
    const hidden = sessionId ? this.#runs.get(sessionId) : undefined;
    if (!hidden) return;
    const column = (label: string | null) => hidden.run.columns.find((c) => c.label === label);
    if (e.type === "speaker") {
      const c = column(e.role);
      if (c && c.status === "loading") c.status = "generating";
    } else if (e.type === "token") {
      const c = column(e.role);
      // A column shows the answer; a reasoning model's thought stays in the session's timeline.
      if (!c || ("thought" in e && e.thought)) return;
      const raw = (hidden.raw.get(e.role) ?? "") + e.text;
      hidden.raw.set(e.role, raw);
      const shown = streamedContent(raw);
      const added = shown.slice(c.text.length);
      c.status = "generating";
      c.text = shown;
      if (added) this.emit({ type: "compare-token", compareId: hidden.run.id, label: e.role, text: added });
      return;
    } else if (e.type === "message") {
      const c = column(e.message.from);
      if (!c) return;
      c.status = "done";
      c.text = e.message.content;
      c.result = resultOf(e.message);
    } else if (e.type === "session") {
      if (e.session.status === "failed" || e.session.status === "aborted") {
        const last = [...allMessages(this.store, e.session.id)].at(-1);
        for (const c of hidden.run.columns) {
          if (c.status === "done") continue;
          c.status = "error";
          c.error = last?.from === "system" ? last.content : `session ${e.session.status}`;
        }
      }
    } else return;
    this.emit({ type: "compare", run: this.#public(hidden) });
  }

  /** A copy with models withheld until voted. */
  #public(hidden: Hidden): CompareRun {
    const voted = hidden.run.winner !== null;
    return { ...hidden.run, columns: hidden.run.columns.map((c) => ({ ...c, model: voted ? c.model : null })) };
  }
}

function resultOf(m: Message): CompareRun["columns"][number]["result"] {
  const u = m.usage;
  if (!u) return null;
  return {
    text: m.content,
    promptTokens: u.promptTokens,
    completionTokens: u.completionTokens,
    ttftMs: u.ttftMs,
    promptTokensPerSec: u.ttftMs ? (u.promptTokens / u.ttftMs) * 1000 : null,
    genTokensPerSec: u.tokensPerSec,
    aborted: m.repairs.some((r) => r.includes("aborted")),
    contextTokens: u.promptTokens + u.completionTokens,
    droppedTurns: 0,
  };
}

/** Fisher-Yates with a CSPRNG: the order must not be guessable from the request order. */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
