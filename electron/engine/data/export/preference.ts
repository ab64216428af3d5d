/**
 * Preference pairs from a session, these sources:
 *  - votes, rankings and ratings: judged messages (votes or ratings) of the same round and type
 *    answered the same prompt; the best rated is chosen over the worst rated (one pair per group, only
 *    when their ratings differ). The prompt is the task plus what every author in the group could see
 *    before the first of them spoke, all as user turns, since no single author's view fits all
 *    answers. Explicit ratings win over votes, so a 2-role committee whose members can only vote for
 *    each other (always a tie) still yields pairs once its answers are rated;
 *  - arena outcomes stored for this session's messages (evaluation/arena/checkerOutcomes.ts): a checker's correct
 *    answer over an incorrect one to the same prompt, the committee's answer against the same-budget
 *    baseline's, a person's pick — the winner chosen over the loser, with the same shared prompt;
 *  - critique → revision: a `revision` citing its author's earlier message (directly, or through a
 *    critique it cites) is chosen over that original, with the author's own view before the original
 *    as the prompt. Skipped when votes or ratings say the original was better.
 * Written as TRL `prompt`/`chosen`/`rejected` (chat-message lists or plain strings) with the pair's
 * provenance in `metadata`, or as OpenAI's `input`/`preferred_output`/`non_preferred_output` with the
 * provenance in the sidecar. The whole session is loaded: pairs look back.
 */
import type { ChatTurn } from "../../../../shared/slots.js";
import { thoughtOf } from "./thoughts.js";
import type { Message } from "../../../../shared/conversation.js";
import type { RecordProvenance } from "../../../../shared/exportReport.js";
import type { ExportContext } from "./context.js";
import { openAIDpoIssues, trlPreferenceIssues } from "./formatValidators.js";
import { textChars } from "./validationReport.js";
import { isRoleTurn, selected, sessionMessages } from "./context.js";
import { visibleTo, windowBefore } from "./perspective.js";
import type { ExportWriter } from "./writer.js";

export interface PreferencePair {
  source: NonNullable<RecordProvenance["pair"]>["source"];
  /** Who preferred `chosen`, when a single judge did (a checker, a person, a judge model). */
  judge: string | null;
  prompt: ChatTurn[];
  /** Ids of the session messages the prompt carries. */
  context: string[];
  chosen: Message;
  rejected: Message;
}

function asUser(m: Message): ChatTurn {
  return m.from === "user" ? { role: "user", content: m.content } : { role: "user", name: m.from, content: m.content };
}

function taskTurns(ctx: ExportContext): ChatTurn[] {
  return ctx.task === null ? [] : [{ role: "user", content: ctx.task }];
}

function votePairs(ctx: ExportContext, messages: readonly Message[], index: Map<string, number>): PreferencePair[] {
  const groups = new Map<string, { m: Message; rating: number }[]>();
  for (const m of messages) {
    if (!isRoleTurn(m)) continue;
    const q = ctx.quality.of(m);
    if (!q.judged || q.rating === null) continue;
    const key = `${m.round ?? "-"}\u0000${m.type}`;
    const group = groups.get(key) ?? [];
    group.push({ m, rating: q.rating });
    groups.set(key, group);
  }
  const pairs: PreferencePair[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => b.rating - a.rating || a.m.seq - b.m.seq);
    const best = sorted[0];
    const worst = sorted.at(-1);
    if (!best || !worst || best.rating <= worst.rating || best.m.content === worst.m.content) continue;
    const context = sharedContext(ctx, messages, index, group.map((g) => g.m));
    const rated = ctx.quality.of(best.m).ratings > 0 || ctx.quality.of(worst.m).ratings > 0;
    pairs.push({
      source: rated ? "ratings" : "votes",
      judge: null,
      prompt: [...taskTurns(ctx), ...context.map(asUser)],
      context: context.map((c) => c.id),
      chosen: best.m,
      rejected: worst.m,
    });
  }
  return pairs;
}

/** What every author in `group` could see before the first of them spoke. */
function sharedContext(ctx: ExportContext, messages: readonly Message[], index: Map<string, number>, group: readonly Message[]): Message[] {
  const members = new Set(group.map((m) => m.id));
  const authors = [...new Set(group.map((m) => m.from))];
  const firstIndex = Math.min(...group.map((m) => index.get(m.id) ?? 0));
  return windowBefore(messages, firstIndex, (x) => !members.has(x.id) && authors.every((a) => visibleTo(x, a)), ctx.request.contextMessages);
}

/** Pairs from arena outcomes recorded for this session's messages (checker, baseline, human); model votes come in through the votes. */
function arenaPairs(ctx: ExportContext, messages: readonly Message[], index: Map<string, number>): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  for (const o of ctx.store.pairwise.list({ sessionId: ctx.session.id })) {
    if (o.source === "model" || (o.winner !== "a" && o.winner !== "b") || !o.messageA || !o.messageB) continue;
    const a = messages[index.get(o.messageA) ?? -1];
    const b = messages[index.get(o.messageB) ?? -1];
    if (!a || !b || !isRoleTurn(a) || !isRoleTurn(b) || a.content === b.content) continue;
    const [chosen, rejected] = o.winner === "a" ? [a, b] : [b, a];
    const context = sharedContext(ctx, messages, index, [chosen, rejected]);
    pairs.push({ source: o.source, judge: o.judge, prompt: [...taskTurns(ctx), ...context.map(asUser)], context: context.map((c) => c.id), chosen, rejected });
  }
  return pairs;
}

/** Code sessions: a message whose artifacts passed the command check is chosen over one whose artifacts failed it. */
function checkPairs(ctx: ExportContext, messages: readonly Message[], index: Map<string, number>): PreferencePair[] {
  const last = new Map<string, { passed: boolean; command: string }>();
  for (const c of ctx.store.attachments.checks(ctx.session.id)) {
    if (c.messageId && !c.outcome.refused) last.set(c.messageId, { passed: c.outcome.passed, command: (c.outcome.run ?? c.outcome.setup.at(-1))?.argv.join(" ") ?? "" });
  }
  const of = (passed: boolean) => [...last].filter(([, v]) => v.passed === passed).map(([id, v]) => ({ m: messages[index.get(id) ?? -1], command: v.command })).filter((x): x is { m: Message; command: string } => x.m !== undefined && isRoleTurn(x.m));
  const pairs: PreferencePair[] = [];
  for (const chosen of of(true)) {
    for (const rejected of of(false)) {
      if (chosen.m.content === rejected.m.content) continue;
      const context = sharedContext(ctx, messages, index, [chosen.m, rejected.m]);
      pairs.push({ source: "checker", judge: `checker:command ${chosen.command}`, prompt: [...taskTurns(ctx), ...context.map(asUser)], context: context.map((c) => c.id), chosen: chosen.m, rejected: rejected.m });
    }
  }
  return pairs;
}

function revisionPairs(ctx: ExportContext, messages: readonly Message[], index: Map<string, number>): PreferencePair[] {
  const byId = (id: string): Message | undefined => messages[index.get(id) ?? -1];
  const pairs: PreferencePair[] = [];
  for (const revision of messages) {
    if (revision.type !== "revision" || !isRoleTurn(revision)) continue;
    const author = revision.from;
    const isOriginal = (m: Message | undefined): m is Message =>
      m !== undefined && m.from === author && m.seq < revision.seq && m.type !== "vote" && isRoleTurn(m);
    let original = revision.referencesTo.map(byId).find(isOriginal);
    if (!original) {
      for (const ref of revision.referencesTo.map(byId)) {
        if (ref?.type !== "critique") continue;
        original = ref.referencesTo.map(byId).find(isOriginal);
        if (original) break;
      }
    }
    if (!original || original.content === revision.content) continue;
    const qo = ctx.quality.of(original);
    const qr = ctx.quality.of(revision);
    if (qo.judged && qr.judged && (qo.rating ?? 0) > (qr.rating ?? 0)) continue;

    const system = ctx.prompts.at(author, original.seq);
    const context = windowBefore(messages, index.get(original.id) ?? 0, (x) => visibleTo(x, author), ctx.request.contextMessages);
    const prompt: ChatTurn[] = [
      ...(system === null ? [] : [{ role: "system" as const, content: system }]),
      ...taskTurns(ctx),
      ...context.map((m): ChatTurn => (m.from === author ? { role: "assistant", content: m.content } : asUser(m))),
    ];
    pairs.push({ source: "revision", judge: null, prompt, context: context.map((c) => c.id), chosen: revision, rejected: original });
  }
  return pairs;
}

/** Every preference pair the session supports whose chosen turn passes the request's filters. */
export function preferencePairs(ctx: ExportContext): PreferencePair[] {
  const messages = [...sessionMessages(ctx.store, ctx.session.id)];
  const index = new Map(messages.map((m, i) => [m.id, i]));
  const seen = new Set<string>();
  const pairs: PreferencePair[] = [];
  for (const p of [...votePairs(ctx, messages, index), ...revisionPairs(ctx, messages, index), ...arenaPairs(ctx, messages, index), ...checkPairs(ctx, messages, index)]) {
    const key = `${p.chosen.id}\u0000${p.rejected.id}`;
    if (seen.has(key) || !selected(ctx, p.chosen) || !p.prompt.some((t) => t.role !== "system")) continue;
    seen.add(key);
    pairs.push(p);
  }
  return pairs.sort((a, b) => a.chosen.seq - b.chosen.seq || a.rejected.seq - b.rejected.seq);
}

/** The prompt as plain text for TRL's string form: one `speaker: text` paragraph per turn. */
export function promptText(prompt: readonly ChatTurn[]): string {
  return `${prompt.map((t) => `${t.name ?? t.role}: ${t.content}`).join("\n\n")}\n\n`;
}

const assistant = (m: Message): ChatTurn[] => [{ role: "assistant", content: m.content }];

/** TRL's conversational form: the answer's thought goes in the assistant message's `thinking` key. */
const thinkingAssistant = (m: Message): Array<ChatTurn | (ChatTurn & { thinking: string })> => {
  const thinking = thoughtOf(m);
  return [thinking === null ? { role: "assistant", content: m.content } : { role: "assistant", content: m.content, thinking }];
};

export async function writePreference(
  ctx: ExportContext,
  out: ExportWriter,
  style: "trl" | "openai",
): Promise<{ records: number; skipped: number }> {
  const pairs = preferencePairs(ctx);
  for (const p of pairs) {
    const provenance = ctx.provenance.forPair(p, p.context);
    ctx.thoughts.add(p.chosen);
    ctx.thoughts.add(p.rejected);
    if (style === "openai") {
      const record = { input: { messages: p.prompt }, preferred_output: assistant(p.chosen), non_preferred_output: assistant(p.rejected) };
      ctx.validation.add(openAIDpoIssues(record), textChars(record));
      await out.write(`${JSON.stringify(record)}\n`);
      await ctx.sidecar?.write(`${JSON.stringify(provenance)}\n`);
      continue;
    }
    const record =
      ctx.request.dpoForm === "string"
        ? { prompt: promptText(p.prompt), chosen: p.chosen.content, rejected: p.rejected.content }
        : { prompt: p.prompt, chosen: thinkingAssistant(p.chosen), rejected: thinkingAssistant(p.rejected) };
    const full = { ...record, metadata: provenance };
    ctx.validation.add(trlPreferenceIssues(full), textChars(record));
    await out.write(`${JSON.stringify(full)}\n`);
  }
  return { records: pairs.length, skipped: 0 };
}
