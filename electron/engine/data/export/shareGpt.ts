/**
 * ShareGPT JSONL as LLaMA-Factory reads it (`formatting: sharegpt`, tags `from`/`value`,
 * `human`/`gpt`): one example per role turn, like the OpenAI export, over the same point of view.
 * ShareGPT has no speaker names and must alternate human/gpt starting with human and ending with
 * gpt, so other speakers' words become human turns prefixed `<speaker>: `, consecutive turns of one
 * side are merged (blank line between), and leading gpt turns (the role's own words before anyone
 * else spoke) are dropped. The role's system prompt goes in `system`, the record's provenance in
 * `metadata` (LLaMA-Factory reads only the columns its dataset_info names).
 */
import type { Message } from "../../../../shared/conversation.js";
import type { ExportIssue } from "../../../../shared/exportReport.js";
import type { ExportContext } from "./context.js";
import { isRoleTurn, selected, sessionMessages } from "./context.js";
import { shareGptIssues } from "./formatValidators.js";
import { textChars } from "./validationReport.js";
import { ContextWindow, hasContent, visibleTo } from "./perspective.js";
import { withThinkTags } from "./thoughts.js";
import type { ExportWriter } from "./writer.js";

export interface ShareGptTurn {
  from: "human" | "gpt";
  value: string;
}

/** `(side, text)` turns merged into a valid alternation, or null when no human turn precedes the last gpt. */
export function alternate(turns: readonly ShareGptTurn[]): ShareGptTurn[] | null {
  const out: ShareGptTurn[] = [];
  for (const t of turns) {
    const last = out.at(-1);
    if (!last && t.from === "gpt") continue;
    if (last && last.from === t.from) last.value += `\n\n${t.value}`;
    else out.push({ ...t });
  }
  if (out.length < 2 || out.at(-1)?.from !== "gpt") return null;
  return out;
}

export function asHuman(m: Message): string {
  return m.from === "user" ? m.content : `${m.from}: ${m.content}`;
}

/** `role`'s view as ShareGPT turns: the task, its context, then `target` as the final gpt turn; null when no human turn precedes it. */
export function roleConversation(task: string | null, context: readonly Message[], role: string, target: Message): ShareGptTurn[] | null {
  const turns: ShareGptTurn[] = [];
  if (task !== null) turns.push({ from: "human", value: task });
  for (const c of context) turns.push(c.from === role ? { from: "gpt", value: c.content } : { from: "human", value: asHuman(c) });
  // The trained-on turn carries its thought the way LLaMA-Factory's reasoning templates read it.
  turns.push({ from: "gpt", value: withThinkTags(target) });
  return alternate(turns);
}

/**
 * One JSONL record per role turn the export keeps, over that role's point of view: `toRecord`
 * builds it from the role's alternating turns (task, context, the turn) and its system prompt at
 * that point; the provenance goes in `metadata`, and `issues` checks the record as written. Turns
 * with no human turn before them are counted as skipped.
 */
export async function writeRoleTurns(
  ctx: ExportContext,
  out: ExportWriter,
  toRecord: (turns: ShareGptTurn[], system: string | null) => object,
  issues: (record: unknown) => ExportIssue[],
): Promise<{ records: number; skipped: number }> {
  const windows = new Map(ctx.roles.map((r) => [r, new ContextWindow<Message>(ctx.request.contextMessages)]));
  let records = 0;
  let skipped = 0;
  for (const m of sessionMessages(ctx.store, ctx.session.id)) {
    if (!hasContent(m)) continue;
    for (const [role, window] of windows) {
      if (!visibleTo(m, role)) continue;
      if (m.from === role && isRoleTurn(m) && selected(ctx, m)) {
        const context = window.values();
        const turns = roleConversation(ctx.task, context, role, m);
        if (turns === null) {
          skipped++;
        } else {
          const record = toRecord(turns, ctx.prompts.at(role, m.seq));
          ctx.thoughts.add(m);
          const full = { ...record, metadata: ctx.provenance.forTurn(m, context) };
          ctx.validation.add(issues(full), textChars(record));
          await out.write(`${JSON.stringify(full)}\n`);
          records++;
        }
      }
      window.push(m.seq, m, m.type === "summary");
    }
  }
  return { records, skipped };
}

export function writeShareGpt(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
  return writeRoleTurns(ctx, out, (conversations, system) => (system === null ? { conversations } : { conversations, system }), (r) => shareGptIssues(r));
}
