/**
 * A model that judges answers blind, through the engine's backend pool like any session turn:
 *  - `grade`: is this answer to the task correct (against the reference, when the task has one)?
 *  - `compare`: which of two answers to the task is better (A, B, a tie, or both bad)?
 * The judge is never told who wrote an answer; the caller shuffles the order of a comparison. The
 * verdict is asked for as typed JSON — the verdict before the reason, so a token limit cuts the
 * reason, not the verdict — held to its schema by a grammar where the backend has one. A verdict
 * that cannot be read is reported as such (`null`), never guessed.
 */
import type { TaskItem } from "../../../shared/experiment.js";
import type { ChatTurn } from "../../../shared/slots.js";
import type { TurnGenerator, TurnResult } from "../conversation/bus/TurnGenerator.js";
import type { Judge, JudgeRequest, JudgeResult } from "./tasks/checkers.js";

const GRADE_SCHEMA = {
  type: "object",
  properties: { verdict: { type: "string", enum: ["correct", "incorrect"] }, reason: { type: "string" } },
  required: ["verdict", "reason"],
  additionalProperties: false,
} as const;

const COMPARE_SCHEMA = {
  type: "object",
  properties: { better: { type: "string", enum: ["A", "B", "tie", "both-bad"] }, reason: { type: "string" } },
  required: ["better", "reason"],
  additionalProperties: false,
} as const;

/** Which answer a comparison preferred, by its position (null: unreadable). */
export type ComparePick = "first" | "second" | "tie" | "both-bad" | null;

export interface ModelJudgeOptions {
  generator: TurnGenerator;
  /** The seat the judge's model is loaded on: the task's session and a role name of its own. */
  sessionId: string;
  role: string;
  /** Seed of the first verdict (each later one adds 1). */
  seed: number;
  maxTokens?: number;
  instruction?: string;
}

/** The JSON field `key` of a verdict, from the whole text or, when cut off, from where it appears. */
export function readVerdictField(text: string, key: string, allowed: readonly string[]): string | null {
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)[key];
    if (typeof value === "string" && allowed.includes(value)) return value;
  } catch {
    // a verdict cut off by the token limit: look for the field itself
  }
  const m = new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(text);
  return m?.[1] !== undefined && allowed.includes(m[1]) ? m[1] : null;
}

function taskBlock(task: TaskItem): string {
  return `Task:\n${task.prompt}${task.reference === undefined ? "" : `\n\nReference answer:\n${String(task.reference)}`}`;
}

export class ModelJudge implements Judge {
  private calls = 0;
  /** Every verdict turn, for the record (tokens, provenance). */
  readonly turns: TurnResult[] = [];

  constructor(private readonly options: ModelJudgeOptions) {}

  private async ask(prompt: string, schema: Record<string, unknown>): Promise<string> {
    const turns: ChatTurn[] = [
      { role: "system", content: "You are an impartial grader. You are never told who wrote an answer. Reply with JSON only." },
      { role: "user", content: prompt },
    ];
    const result = await this.options.generator.generateTurn(this.options.role, {
      turns,
      sessionId: this.options.sessionId,
      sampling: { temperature: 0, maxTokens: this.options.maxTokens ?? 64, seed: this.options.seed + this.calls++ },
      ...(this.options.generator.supportsGrammar ? { jsonSchema: schema } : {}),
    });
    this.turns.push(result);
    return result.text;
  }

  async grade(request: JudgeRequest): Promise<JudgeResult> {
    const instruction = request.instruction ?? this.options.instruction;
    const prompt = [
      taskBlock(request.task),
      `Answer to grade:\n${request.answer}`,
      instruction ?? "Is the answer correct for the task? Judge the answer itself, not its style.",
      'Reply as {"verdict": "correct" | "incorrect", "reason": "…"}.',
    ].join("\n\n");
    const text = await this.ask(prompt, GRADE_SCHEMA);
    const verdict = readVerdictField(text, "verdict", ["correct", "incorrect"]);
    if (verdict === null) return { correct: null, detail: `the judge's verdict could not be read: ${text.slice(0, 120)}` };
    return { correct: verdict === "correct", detail: `judge: ${verdict}` };
  }

  /** Which of two answers to `task` is better; `first` was shown as A. */
  async compare(task: TaskItem, first: string, second: string): Promise<{ pick: ComparePick; detail: string }> {
    const prompt = [
      taskBlock(task),
      `Answer A:\n${first}`,
      `Answer B:\n${second}`,
      "Which answer is better for the task? Say tie when they are equally good, both-bad when neither is acceptable.",
      'Reply as {"better": "A" | "B" | "tie" | "both-bad", "reason": "…"}.',
    ].join("\n\n");
    const text = await this.ask(prompt, COMPARE_SCHEMA);
    const better = readVerdictField(text, "better", ["A", "B", "tie", "both-bad"]);
    const pick: ComparePick = better === "A" ? "first" : better === "B" ? "second" : better === "tie" ? "tie" : better === "both-bad" ? "both-bad" : null;
    return { pick, detail: pick === null ? `unreadable verdict: ${text.slice(0, 120)}` : `better: ${better}` };
  }
}
