/**
 * How one role sees the conversation — the mapping from bus messages to the chat turns its model
 * is given (the exports in electron/engine/data/export/perspective.ts use the same rules):
 *
 * | message                                   | turn                                            |
 * |-------------------------------------------|-------------------------------------------------|
 * | the role's system prompt                  | `system`                                        |
 * | the task (`from: user`)                   | `user`, no name                                 |
 * | the role's own message                    | `assistant`, its content only (never its thought) |
 * | another role's message                    | `user` with `name: <role>`, content `m12 critique: …` |
 * | … whose role shares its thoughts          | `m12 critique (thought: …): …`                  |
 * | the orchestrator's (`from: system`)       | `user` with `name: system` (instructions, swaps, summaries) |
 * | a past result the library brought in      | `user` with `name: library`, content `m3 retrieved: …`, citable |
 *
 * A role sees a message when it spoke it, when it went to `all`, or when the role is among `to`.
 * `m12` is the message's label (its `seq`), which typed turns cite in `referencesTo`. The engine's
 * chat formatting (runtime/worker/chatHistory.ts) writes a named user turn as `[name]: content` and merges
 * consecutive user turns, so models without multi-party templates still see who said what.
 *
 * Context budget: the view holds at most `budgetTokens` (estimated; see {@link estimateTokens}).
 * The system prompt, the task and the latest summary addressed to the role always stay; then the
 * newest messages are taken until the budget is spent, and messages folded into a summary are never
 * shown again. What was left out is reported (`omitted`) so the session can record it.
 *
 * When messages must be left out, the view is cut down to {@link VIEW_LOW_WATER} of the room the budget leaves, and
 * the caller passes the first message shown (`keptFrom`) back as `keepFrom`: the view then starts
 * there for as long as what follows fits. A view that slid by a message every turn would change the
 * model's context right after the task each time, and all of it would be evaluated again; behind a
 * fixed start only the new messages are.
 */
import type { Message } from "../../../../shared/conversation.js";
import type { ChatTurn } from "../../../../shared/slots.js";
import { isVisibleTo } from "./ConversationBus.js";

/** The label a model uses to cite a message. */
export function labelOf(m: Pick<Message, "seq">): string {
  return `m${m.seq}`;
}

/**
 * Token estimate used for budgets: about 3 characters a token plus a few tokens of template per
 * turn. Deliberately pessimistic for English with small vocabularies; the engine still fits the
 * exact token count to the slot's context (drop-oldest) as a last guard.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3) + 4;
}

export interface ViewOptions {
  /** The role's system prompt (omitted when empty). */
  system?: string;
  /** Most tokens the view may hold, extra turns included. */
  budgetTokens: number;
  /** Hide other roles' messages (independent answers: compare, parallel workers). */
  privateOnly?: boolean;
  /** Turns appended after the conversation (a ballot, say). */
  extra?: ChatTurn[];
  /** `seq` of the first message the previous view showed after a cut (its `keptFrom`). */
  keepFrom?: number | null;
  /** Roles whose thoughts their peers see (`thinking.share`); everyone else's stay hidden. */
  sharesThoughts?: ReadonlySet<string>;
}

/** Share of the room beside the fixed turns that a new cut fills, so the next turns fit behind the same first message. */
export const VIEW_LOW_WATER = 0.75;

export interface RoleView {
  turns: ChatTurn[];
  /** Labels the role may cite → message ids (what it was shown). */
  refs: Map<string, string>;
  /** Visible messages left out for the budget (not counting those folded into a summary). */
  omitted: number;
  /** Estimated tokens of the view. */
  tokens: number;
  /** `seq` of the first message shown when some were left out (pass it back as `keepFrom`); else null. */
  keptFrom: number | null;
}

/** The `seq` up to which a summary folded the conversation (its highest cited message). */
export function coveredUpTo(summary: Message, all: readonly Message[]): number {
  let seq = 0;
  const ids = new Set(summary.referencesTo);
  // A chained summary also cites the one it replaces; that one's position says nothing about coverage.
  for (const m of all) if (ids.has(m.id) && m.type !== "summary" && m.seq > seq) seq = m.seq;
  return seq;
}

/** A peer's message as another role sees it: with its thought only when its role shares them. */
export function peerContent(m: Message, sharesThoughts?: ReadonlySet<string>): string {
  const thought = m.thought && m.thought.text && sharesThoughts?.has(m.from) ? ` (thought: ${m.thought.text})` : "";
  return `${labelOf(m)} ${m.type}${thought}: ${m.content}`;
}

function turnOf(m: Message, role: string, sharesThoughts?: ReadonlySet<string>): ChatTurn {
  if (m.from === role) return { role: "assistant", content: m.content };
  if (m.from === "user") return { role: "user", content: m.content };
  if (m.from === "system" && m.type === "retrieved") return { role: "user", name: "library", content: `${labelOf(m)} retrieved: ${m.content}` };
  if (m.from === "system") return { role: "user", name: "system", content: m.content };
  return { role: "user", name: m.from, content: peerContent(m, sharesThoughts) };
}

/** The latest summary addressed to `role`, if any. */
export function latestSummaryFor(all: readonly Message[], role: string): Message | undefined {
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i]!;
    if (m.type === "summary" && m.from === "system" && m.to !== "all" && m.to.includes(role)) return m;
  }
  return undefined;
}

/** Builds `role`'s view of `all` (the bus's messages, in order) under `options`. */
export function roleView(all: readonly Message[], role: string, options: ViewOptions): RoleView {
  const head: ChatTurn[] = options.system ? [{ role: "system", content: options.system }] : [];
  const extra = options.extra ?? [];
  let tokens = [...head, ...extra].reduce((s, t) => s + estimateTokens(t.content), 0);
  const task = all.find((m) => m.from === "user");
  if (task) tokens += estimateTokens(task.content);
  const summary = latestSummaryFor(all, role);
  const floor = summary ? coveredUpTo(summary, all) : 0;
  if (summary) tokens += estimateTokens(summary.content);

  // Newest first: every message the role could be shown, with its cost.
  const candidates: { m: Message; cost: number }[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i]!;
    if (m.seq <= floor) break;
    if (m === task || m === summary || !isVisibleTo(m, role)) continue;
    if (m.type === "summary" && m.from === "system") continue; // superseded by the latest
    if (options.privateOnly && m.from !== role && m.from !== "system") continue;
    candidates.push({ m, cost: estimateTokens(turnOf(m, role, options.sharesThoughts).content) });
  }
  const fixed = tokens;
  const every = candidates.reduce((s, c) => s + c.cost, 0);
  const keepFrom = options.keepFrom ?? null;
  const fromKept = keepFrom === null ? null : candidates.filter((c) => c.m.seq >= keepFrom);
  let take: number;
  if (fixed + every <= options.budgetTokens) take = candidates.length;
  else if (fromKept && fromKept.length > 0 && fixed + fromKept.reduce((s, c) => s + c.cost, 0) <= options.budgetTokens) take = fromKept.length;
  else {
    // A new cut fills the room left beside the fixed turns only to the low-water mark, but always
    // shows the newest message when it fits at all.
    const limit = fixed + Math.floor(Math.max(0, options.budgetTokens - fixed) * VIEW_LOW_WATER);
    take = 0;
    let spent = fixed;
    while (take < candidates.length && spent + candidates[take]!.cost <= limit) spent += candidates[take++]!.cost;
    if (take === 0 && candidates.length > 0 && fixed + candidates[0]!.cost <= options.budgetTokens) take = 1;
  }
  const picked = candidates.slice(0, take).map((c) => c.m);
  tokens = fixed + candidates.slice(0, take).reduce((s, c) => s + c.cost, 0);
  const omitted = candidates.length - take;
  picked.reverse();

  const refs = new Map<string, string>();
  const turns = [...head];
  if (task) turns.push(turnOf(task, role));
  if (summary) turns.push(turnOf(summary, role));
  for (const m of picked) {
    turns.push(turnOf(m, role, options.sharesThoughts));
    if (m.from !== "system" || m.type === "retrieved") refs.set(labelOf(m), m.id);
  }
  turns.push(...extra);
  return { turns, refs, omitted, tokens, keptFrom: omitted > 0 && picked.length > 0 ? picked[0]!.seq : null };
}
