/**
 * Alpaca JSONL as LLaMA-Factory reads it (`formatting: alpaca`): one example per role turn, over the
 * same point of view as the ShareGPT export. The role's conversation is first merged into strict
 * human/gpt alternation (shareGpt.ts); its last human turn becomes `instruction`, the turn itself
 * `output`, the earlier exchanges `history` as [query, response] pairs, and the role's system prompt
 * `system`. `input` is left empty (the instruction already holds everything the role was shown). The
 * record's provenance goes in `metadata`.
 */
import type { ExportContext } from "./context.js";
import { alpacaIssues } from "./formatValidators.js";
import { writeRoleTurns, type ShareGptTurn } from "./shareGpt.js";
import type { ExportWriter } from "./writer.js";

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

export function writeAlpaca(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
  return writeRoleTurns(ctx, out, alpacaRecord, (r) => alpacaIssues(r));
}
