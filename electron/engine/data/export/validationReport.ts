/**
 * The validation report every export ends with, in the manner of OpenAI's dataset checker: each
 * written record is checked by its format's rules (formatValidators.ts), issues are counted by kind,
 * and tokens per example are summarised. Tokens are estimated at 4 characters a token over the
 * record's text, since the exporter knows no tokenizer of the model that will be trained.
 */
import type { ExportIssue, ExportIssueKind, ExportValidation } from "../../../../shared/exportReport.js";

const SAMPLES = 10;

/** Estimated tokens of `chars` characters of text. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export class ValidationTally {
  private examples = 0;
  private valid = 0;
  private readonly errors: Partial<Record<ExportIssueKind, number>> = {};
  private readonly samples: (ExportIssue & { record: number })[] = [];
  private total = 0;
  private min = Infinity;
  private max = 0;

  /** Records one written record's issues and its text length in characters. */
  add(issues: readonly ExportIssue[], chars: number): void {
    const record = this.examples++;
    if (issues.length === 0) this.valid++;
    for (const i of issues) {
      this.errors[i.kind] = (this.errors[i.kind] ?? 0) + 1;
      if (this.samples.length < SAMPLES) this.samples.push({ ...i, record });
    }
    const tokens = estimateTokens(chars);
    this.total += tokens;
    this.min = Math.min(this.min, tokens);
    this.max = Math.max(this.max, tokens);
  }

  report(): ExportValidation {
    return {
      examples: this.examples,
      valid: this.valid,
      errors: { ...this.errors },
      samples: [...this.samples],
      tokens: this.examples === 0 ? null : { total: this.total, min: this.min, max: this.max, mean: this.total / this.examples },
    };
  }
}

/** Characters of text in a JSON value (every string, keys excluded): what the token estimate counts. */
export function textChars(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((s: number, v) => s + textChars(v), 0);
  if (typeof value === "object" && value !== null) {
    let n = 0;
    for (const v of Object.values(value)) n += textChars(v);
    return n;
  }
  return 0;
}
