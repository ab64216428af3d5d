/**
 * Side-by-side compare: one prompt to N models in shuffled, blind columns, then a vote.
 *
 * Each column borrows a throwaway role slot whose name says nothing about the column, so nothing the
 * UI shows links a label to a model until the vote reveals it. Columns generate concurrently (the
 * engine runs slots in parallel), and the slots are unloaded when the run ends to give memory back.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { ModelIdentity, SamplingInput } from "../../shared/slots.js";
import type { CompareRun, RpcEvent } from "../../shared/rpc.js";
import type { SlotsService, ConclaveServices } from "./services.js";

interface Hidden {
  run: CompareRun;
  /** Per label, the model that answered, revealed on vote. */
  models: Map<string, ModelIdentity | null>;
  refs: Map<string, string>;
}

/** Runs compare requests and keeps their results for voting. */
export class CompareRunner {
  readonly #runs = new Map<string, Hidden>();
  readonly #offTokens: () => void;
  /** generationId → (compareId, label), to route engine tokens to compare columns. */
  readonly #generations = new Map<string, { compareId: string; label: string }>();

  constructor(
    private readonly slots: SlotsService,
    private readonly emit: (event: RpcEvent) => void,
    private readonly recordVote?: ConclaveServices["arena"]["recordCompareVote"],
  ) {
    this.#offTokens = slots.onEvent((event) => {
      if (event.type !== "token") return;
      const target = this.#generations.get(event.generationId);
      if (!target) return;
      const hidden = this.#runs.get(target.compareId);
      const column = hidden?.run.columns.find((c) => c.label === target.label);
      if (column) column.text += event.text;
      this.emit({ type: "compare-token", compareId: target.compareId, label: target.label, text: event.text });
    });
  }

  /** Starts a run and returns at once with its blind columns; progress arrives as events. */
  async run(prompt: string, modelRefs: string[], sampling?: SamplingInput): Promise<CompareRun> {
    const id = `cmp-${randomBytes(4).toString("hex")}`;
    const shuffled = shuffle(modelRefs);
    const labels = shuffled.map((_, i) => String.fromCharCode(65 + i));
    const run: CompareRun = {
      id,
      prompt,
      winner: null,
      createdAt: Date.now(),
      columns: labels.map((label) => ({ label, model: null, status: "loading", text: "", error: null, result: null })),
    };
    const hidden: Hidden = { run, models: new Map(), refs: new Map(labels.map((l, i) => [l, shuffled[i] ?? ""])) };
    this.#runs.set(id, hidden);
    void Promise.all(labels.map((label, i) => this.#column(hidden, label, shuffled[i] ?? "", prompt, sampling))).then(() =>
      this.emit({ type: "compare", run: this.#public(hidden) }),
    );
    return this.#public(hidden);
  }

  async #column(hidden: Hidden, label: string, modelRef: string, prompt: string, sampling?: SamplingInput): Promise<void> {
    const column = hidden.run.columns.find((c) => c.label === label);
    if (!column) return;
    // A random role name: the registry shows it, but it gives no hint of which column it feeds.
    const role = `cmp-${randomBytes(3).toString("hex")}`;
    const generationId = `${hidden.run.id}-${label}`;
    try {
      const slot = await this.slots.load(role, modelRef, sampling ? { sampling } : undefined);
      hidden.models.set(label, slot.model);
      column.status = "generating";
      this.emit({ type: "compare", run: this.#public(hidden) });
      this.#generations.set(generationId, { compareId: hidden.run.id, label });
      this.slots.setHistory(role, []);
      const result = await this.slots.generate(role, {
        append: [{ role: "user", content: prompt }],
        ...(sampling ? { sampling } : {}),
        generationId,
      });
      column.text = result.text;
      column.result = result;
      column.status = "done";
    } catch (error) {
      column.status = "error";
      column.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#generations.delete(generationId);
      await this.slots.unload(role).catch(() => undefined);
    }
  }

  /** Records the vote and reveals every column's model. */
  async vote(compareId: string, winner: string): Promise<CompareRun> {
    const hidden = this.#runs.get(compareId);
    if (!hidden) throw new Error(`no compare run "${compareId}"`);
    if (winner !== "tie" && winner !== "both-bad" && !hidden.run.columns.some((c) => c.label === winner)) throw new Error(`no column "${winner}" in ${compareId}`);
    if (hidden.run.winner !== null) throw new Error(`${compareId} already has a vote (${hidden.run.winner})`);
    hidden.run.winner = winner;
    for (const column of hidden.run.columns) column.model = hidden.models.get(column.label) ?? null;
    await this.recordVote?.({ compareId, prompt: hidden.run.prompt, verdict: winner, columns: hidden.run.columns, at: Date.now() });
    const run = this.#public(hidden);
    this.emit({ type: "compare", run });
    return run;
  }

  /** A copy with models withheld until voted. */
  #public(hidden: Hidden): CompareRun {
    const voted = hidden.run.winner !== null;
    return {
      ...hidden.run,
      columns: hidden.run.columns.map((c) => ({ ...c, model: voted ? c.model : null })),
    };
  }

  dispose(): void {
    this.#offTokens();
  }
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
