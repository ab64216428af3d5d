/**
 * Thoughts in training data, each format by its convention (see shared/exportReport.ts
 * {@link ThoughtExport}): only the trained-on turn (the SFT target, a preference pair's answers)
 * carries its thought; context turns are content only, as the model saw them.
 */
import type { ExportFormat, Message } from "../../../../shared/conversation.js";
import type { ThoughtExport } from "../../../../shared/exportReport.js";

/** How `format` (and, for TRL pairs, its form) carries thoughts. */
export function thoughtHandling(format: ExportFormat, dpoForm: "messages" | "string"): ThoughtExport["handling"] {
  if (format === "json") return "kept";
  if (format === "sharegpt" || format === "alpaca") return "think-tags";
  if (format === "dpo" && dpoForm === "messages") return "thinking-key";
  return "dropped";
}

/** A message's thought text, or null when it has none worth writing. */
export function thoughtOf(m: Pick<Message, "thought">): string | null {
  const text = m.thought?.text.trim();
  return text ? text : null;
}

/** The content with its thought in front, the way LLaMA-Factory's reasoning templates read it. */
export function withThinkTags(m: Pick<Message, "content" | "thought">): string {
  const thought = thoughtOf(m);
  return thought === null ? m.content : `<think>\n${thought}\n</think>\n\n${m.content}`;
}

/** Counts the trained-on turns with thoughts as an export writes them. */
export class ThoughtTally {
  private withThought = 0;
  constructor(readonly handling: ThoughtExport["handling"]) {}

  /** Records that `m` was written as a trained-on turn. */
  add(m: Pick<Message, "thought">): void {
    if (thoughtOf(m) !== null) this.withThought++;
  }

  report(): ThoughtExport {
    return { handling: this.handling, withThought: this.withThought, dropped: this.handling === "dropped" ? this.withThought : 0 };
  }

  /** One line for the export's notes, or null when no trained-on turn had a thought. */
  note(format: ExportFormat): string | null {
    if (this.withThought === 0) return null;
    const n = `${this.withThought} trained-on turn${this.withThought === 1 ? "" : "s"} had a thought`;
    switch (this.handling) {
      case "thinking-key":
        return `${n}: written as the assistant message's "thinking" key (TRL's convention)`;
      case "think-tags":
        return `${n}: written as <think>…</think> at the start of the content (LLaMA-Factory's reasoning templates)`;
      case "kept":
        return `${n}: kept in each message's "thought" field`;
      case "dropped":
        return `${n}: dropped, since ${format === "openai" ? "OpenAI chat fine-tuning" : format === "dpo-openai" ? "OpenAI preference data" : "TRL's string form"} has no field for thoughts (${this.withThought} dropped)`;
    }
  }
}
