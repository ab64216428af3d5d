/**
 * Alpaca JSONL as LLaMA-Factory reads it (`formatting: alpaca`): one example per role turn, over the
 * same point of view as the ShareGPT export. The role's conversation is first merged into strict
 * human/gpt alternation (shareGpt.ts); its last human turn becomes `instruction`, the turn itself
 * `output`, the earlier exchanges `history` as [query, response] pairs, and the role's system prompt
 * `system`. `input` is left empty (the instruction already holds everything the role was shown). The
 * record's provenance goes in `metadata`.
 */
import type { ExportContext } from "./context.js";
import { isRoleTurn, selected, sessionMessages } from "./context.js";
import { alpacaIssues } from "./formatValidators.js";
import { ContextWindow, hasContent, visibleTo } from "./perspective.js";
import { roleConversation, type ShareGptTurn } from "./shareGpt.js";
import { textChars } from "./validationReport.js";
import type { ExportWriter } from "./writer.js";
import type { Message } from "../../../shared/conversation.js";

export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  system?: string;
  history?: [string, string][];
}

/** An alternating human/gpt conversation (human first, gpt last) as an Alpaca record. */
export function alpacaRecord(turns: readonly ShareGptTurn[], system: string | null): AlpacaRecord {
  const history: [string, string][] = [];
  for (let i = 0; i + 3 < turns.length; i += 2) history.push([turns[i]!.value, turns[i + 1]!.value]);
  const record: AlpacaRecord = { instruction: turns.at(-2)!.value, input: "", output: turns.at(-1)!.value };
  if (system !== null) record.system = system;
  if (history.length > 0) record.history = history;
  return record;
}

export async function writeAlpaca(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
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
          const record = alpacaRecord(turns, ctx.prompts.at(role, m.seq));
          const full = { ...record, metadata: ctx.provenance.forTurn(m, context) };
          ctx.validation.add(alpacaIssues(full), textChars(record));
          await out.write(`${JSON.stringify(full)}\n`);
          records++;
        }
      }
      window.push(m.seq, m, m.type === "summary");
    }
  }
  return { records, skipped };
}
