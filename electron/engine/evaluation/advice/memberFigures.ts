/**
 * Each member's figures over a set of sessions, from what the store recorded:
 *  - cited: references to its messages in other members' messages (ballots, whose references are
 *    their rankings, are counted as votes instead);
 *  - votes received: counted ballots from other members ranking its messages (abstentions were
 *    never recorded as votes), their points (0..1 each) and first places;
 *  - ballots and abstentions: the ballots it was asked to fill and those that did not count;
 *  - correct answers: its messages judged by a checker (arena outcomes with source `checker`);
 *  - latency per token: (time to first token + tokens ÷ tokens per second) summed over its turns,
 *    divided by the tokens;
 *  - duplicates: its messages whose word-count cosine with an earlier message of another member of
 *    the same session reaches the duplicate threshold (textSimilarity.ts); messages under three
 *    words are not compared.
 */
import type { MemberFigures } from "../../../../shared/advice.js";
import type { Message } from "../../../../shared/conversation.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { cosine, wordCounts, wordTotal } from "./textSimilarity.js";

const NON_MEMBERS = new Set(["user", "system"]);

/**
 * The session's messages from its committee's members: the roles its stored experiment names. An
 * evaluation's baseline samples and judges speak in the same session but are not members.
 */
function memberMessages(store: SessionStore, sessionId: string): Message[] {
  const experiment = store.getSession(sessionId)?.experiment;
  const roles = experiment && typeof experiment === "object" && !Array.isArray(experiment) && Array.isArray(experiment.roles) ? experiment.roles : null;
  const names = roles ? new Set(roles.flatMap((r) => (r && typeof r === "object" && !Array.isArray(r) && typeof r.name === "string" ? [r.name] : []))) : null;
  return [...allMessages(store, sessionId)].filter((m) => (names && names.size > 0 ? names.has(m.from) : !NON_MEMBERS.has(m.from)));
}
const MIN_COMPARED_WORDS = 3;

interface Tally {
  models: Set<string>;
  sessions: Set<string>;
  messages: number;
  cited: number;
  votesReceived: number;
  votePoints: number;
  firstPlaces: number;
  ballotIds: Set<string>;
  abstentions: number;
  checkedIds: Map<string, boolean>;
  genMs: number;
  timedTokens: number;
  completionTokens: number;
  compared: number;
  duplicates: number;
  duplicateOf: Map<string, number>;
}

const tally = (): Tally => ({
  models: new Set(),
  sessions: new Set(),
  messages: 0,
  cited: 0,
  votesReceived: 0,
  votePoints: 0,
  firstPlaces: 0,
  ballotIds: new Set(),
  abstentions: 0,
  checkedIds: new Map(),
  genMs: 0,
  timedTokens: 0,
  completionTokens: 0,
  compared: 0,
  duplicates: 0,
  duplicateOf: new Map(),
});

/** Figures per member over `sessionIds`, in order of first appearance; `duplicateAt` is the cosine threshold. */
export function memberFigures(store: SessionStore, sessionIds: readonly string[], duplicateAt: number): MemberFigures[] {
  const byMember = new Map<string, Tally>();
  const of = (member: string): Tally => {
    let t = byMember.get(member);
    if (!t) byMember.set(member, (t = tally()));
    return t;
  };
  for (const sessionId of sessionIds) {
    const messages = memberMessages(store, sessionId);
    const byId = new Map(messages.map((m) => [m.id, m]));
    const earlier: { from: string; words: Map<string, number> }[] = [];
    for (const m of messages) {
      const t = of(m.from);
      t.sessions.add(sessionId);
      if (m.provenance) t.models.add(m.provenance.modelName);
      timing(t, m);
      if (m.type === "vote") continue;
      t.messages++;
      for (const ref of new Set(m.referencesTo)) {
        const author = byId.get(ref)?.from;
        if (author !== undefined && author !== m.from) of(author).cited++;
      }
      const words = wordCounts(m.content);
      if (wordTotal(words) >= MIN_COMPARED_WORDS) {
        t.compared++;
        let best: { from: string; sim: number } | null = null;
        for (const e of earlier) {
          if (e.from === m.from) continue;
          const sim = cosine(words, e.words);
          if (!best || sim > best.sim) best = { from: e.from, sim };
        }
        if (best && best.sim >= duplicateAt) {
          t.duplicates++;
          t.duplicateOf.set(best.from, (t.duplicateOf.get(best.from) ?? 0) + 1);
        }
        earlier.push({ from: m.from, words });
      }
    }
    for (const v of store.listVotes(sessionId)) {
      const author = byId.get(v.targetMessageId)?.from;
      if (author !== undefined && author !== v.voter) {
        const t = of(author);
        t.votesReceived++;
        t.votePoints += v.score ?? 0;
        if (v.rank === 1) t.firstPlaces++;
      }
      if (v.messageId) of(v.voter).ballotIds.add(v.messageId);
    }
    for (const a of store.abstentions.list(sessionId)) of(a.voter).abstentions++;
    for (const o of store.pairwise.checkerOutcomes(sessionId)) {
      for (const [id, side] of [[o.messageA, "a"], [o.messageB, "b"]] as const) {
        const author = id ? byId.get(id)?.from : undefined;
        if (!id || author === undefined) continue;
        const checked = of(author).checkedIds;
        checked.set(id, (checked.get(id) ?? false) || o.winner === side);
      }
    }
  }

  return [...byMember].map(([member, t]) => {
    const ballots = t.ballotIds.size + t.abstentions;
    const topDuplicate = [...t.duplicateOf].sort((a, b) => b[1] - a[1])[0];
    return {
      member,
      models: [...t.models],
      sessions: t.sessions.size,
      messages: t.messages,
      cited: t.cited,
      citedPerMessage: t.messages > 0 ? t.cited / t.messages : 0,
      votesReceived: t.votesReceived,
      votePoints: t.votePoints,
      firstPlaces: t.firstPlaces,
      ballots,
      abstentions: t.abstentions,
      abstentionRate: ballots > 0 ? t.abstentions / ballots : null,
      checked: t.checkedIds.size,
      correct: [...t.checkedIds.values()].filter(Boolean).length,
      msPerToken: t.timedTokens > 0 ? t.genMs / t.timedTokens : null,
      completionTokens: t.completionTokens,
      duplicates: t.duplicates,
      duplicateRate: t.compared > 0 ? t.duplicates / t.compared : null,
      duplicateOf: topDuplicate?.[0] ?? null,
      leaveOneOut: null,
    };
  });
}

function timing(t: Tally, m: Message): void {
  const u = m.usage;
  if (!u) return;
  t.completionTokens += u.completionTokens;
  if (!u.tokensPerSec || u.completionTokens === 0) return;
  t.genMs += (u.ttftMs ?? 0) + (u.completionTokens / u.tokensPerSec) * 1000;
  t.timedTokens += u.completionTokens;
}
