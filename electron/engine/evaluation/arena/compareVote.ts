/**
 * A human's verdict on a blind compare run, recorded as pairwise outcomes (source `human`, judge
 * `user`, anonymous): a picked column beats every other column; a tie or "both bad" verdict ties every
 * pair of columns. Each outcome keeps where both answers were shown, the prompt and both answers, and
 * — since a compare run is stored as a session — the two answer messages, so exports turn a
 * person's pick into a preference pair.
 * Columns that failed (no model) and pairs of the same model file are left out: they say nothing
 * about one model against another.
 */
import type { PairwiseOutcome, PairwiseOutcomeInput } from "../../../../shared/arena.js";
import { CompareVerdict } from "../../../../shared/arena.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** What a compare vote records; `columns` in the order they were shown (left to right). */
export interface CompareVoteRecord {
  compareId: string;
  /** The session the run was stored as, when it was one: the outcomes then point at its messages. */
  sessionId?: string;
  prompt: string;
  /** A column label, `tie` or `both-bad`. */
  verdict: string;
  columns: readonly { label: string; model: ModelIdentity | null; text: string }[];
  at: number;
}

/** The outcomes a compare verdict stands for; `messages` maps a column label to its stored answer's id. */
export function compareVoteOutcomes(vote: CompareVoteRecord, messages: ReadonlyMap<string, string> = new Map()): PairwiseOutcomeInput[] {
  const verdict = CompareVerdict.parse(vote.verdict);
  const shown = vote.columns.map((c, position) => ({ ...c, position }));
  if (verdict !== "tie" && verdict !== "both-bad" && !shown.some((c) => c.label === verdict)) {
    throw new Error(`no column "${verdict}" in ${vote.compareId}`);
  }
  const usable = shown.filter((c): c is typeof c & { model: ModelIdentity } => c.model !== null);
  const outcomes: PairwiseOutcomeInput[] = [];
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const a = usable[i]!;
      const b = usable[j]!;
      if (a.model.fingerprint === b.model.fingerprint) continue;
      let winner: PairwiseOutcomeInput["winner"];
      if (verdict === "tie" || verdict === "both-bad") winner = verdict;
      else if (a.label === verdict) winner = "a";
      else if (b.label === verdict) winner = "b";
      else continue; // two losers: the verdict does not order them
      outcomes.push({
        a: { fingerprint: a.model.fingerprint, name: a.model.name },
        b: { fingerprint: b.model.fingerprint, name: b.model.name },
        winner,
        source: "human",
        judge: "user",
        positionA: a.position,
        positionB: b.position,
        anonymous: true,
        compareId: vote.compareId,
        ...(vote.sessionId ? { sessionId: vote.sessionId, messageA: messages.get(a.label) ?? null, messageB: messages.get(b.label) ?? null } : {}),
        prompt: vote.prompt,
        answerA: a.text,
        answerB: b.text,
        createdAt: vote.at,
      });
    }
  }
  return outcomes;
}

/** Records a compare verdict in the arena; returns the outcomes stored. */
export function recordCompareVote(store: SessionStore, vote: CompareVoteRecord): PairwiseOutcome[] {
  const messages = new Map<string, string>();
  if (vote.sessionId) {
    // Each column's answer is its label's last model message in the compare session.
    for (const m of store.listMessages(vote.sessionId, { limit: 10_000 }).messages) if (m.provenance) messages.set(m.from, m.id);
  }
  return store.pairwise.recordMany(compareVoteOutcomes(vote, messages));
}
