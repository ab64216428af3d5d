/**
 * Collects a generation's thought segment from node-llama-cpp's response chunks: its text, its
 * tokens, and the time from its first token to its end. A model may open and close several thought
 * segments in one answer (Harmony's analysis channel, say); they are joined, and the time runs from
 * the first one's start to the last one's end.
 */
import type { Thought } from "../../../../shared/slots.js";

export class ThoughtRecorder {
  private text = "";
  private tokens = 0;
  private startedAt: number | null = null;
  private endedAt: number | null = null;
  private closedByModel = false;

  /** One chunk of a thought segment; `ends` when the runtime marked it as the segment's last. */
  add(text: string, tokens: number, ends: boolean, now = performance.now()): void {
    this.startedAt ??= now;
    this.text += text;
    this.tokens += tokens;
    if (ends) {
      this.endedAt = now;
      this.closedByModel = true;
    }
  }

  /** Whether any thought segment has started. */
  get any(): boolean {
    return this.startedAt !== null;
  }

  /** The thought, or null when the generation had none; `budget` tells whether the cap closed it. */
  result(budget: number, now = performance.now()): Thought | null {
    if (this.startedAt === null) return null;
    return {
      text: this.text.trim(),
      tokens: this.tokens,
      ms: (this.endedAt ?? now) - this.startedAt,
      cut: this.tokens >= budget || !this.closedByModel,
    };
  }
}
