/**
 * Grades a task's answers with the experiment's check: a model-free checker (exact, regex, numeric,
 * json-schema) or a judge model (loaded on a seat of the task's session when first needed, graded
 * blind through the backend pool). The same answer is graded once per task. Without a check every
 * grade is null: the answers are reported, not scored.
 */
import type { CheckSpec, TaskItem } from "../../../shared/experiment.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import { checkerFor } from "./tasks/checkers.js";
import { answerKey } from "./tasks/majority.js";
import { EvalSeat } from "./evalSeat.js";
import { ModelJudge } from "./modelJudge.js";
import { commandGrader } from "./commandGrader.js";
import type { SessionStore } from "../data/store/sessionStore.js";
import type { CommandCheckOutcome } from "../../../shared/commandCheck.js";

export interface Grader {
  /** Who graded, for arena records: `checker:numeric` or `judge:<name> (<model>)`; null without a check. */
  label(): string | null;
  /** Whether grading costs nothing (no model), so every member's answer can be graded. */
  readonly modelFree: boolean;
  /** Correct, incorrect, or null when it cannot tell (no check, or an unreadable verdict). */
  grade(answer: string | null): Promise<boolean | null>;
  /** A command check's evidence for a graded answer; absent for other checks. */
  evidence?(answer: string | null): CommandCheckOutcome | null;
  close(): Promise<void>;
}

export interface GraderOptions {
  check: CheckSpec | null;
  task: TaskItem;
  /** For a judge: where it sits and what it runs on. */
  registry: SlotRegistry;
  generator: TurnGenerator;
  sessionId: string;
  /** The judge's seat name (one no committee role uses). */
  judgeRole: string;
  /** The judge's model, resolved (a role's model when `check.judge` names a role). */
  judgeModel: string | null;
  seed: number;
  /** For a command check: the task session's attachments live here. */
  store: SessionStore;
  /** Where a command check's `checkFiles[].from` resolve. */
  baseDir?: string;
  allowUnsandboxed?: boolean;
}

export function graderFor(o: GraderOptions): Grader {
  const { check, task } = o;
  if (check === null) return { label: () => null, modelFree: true, grade: async () => null, close: async () => undefined };
  if (check.kind === "command") {
    return commandGrader({ check, store: o.store, sessionId: o.sessionId, ...(o.baseDir ? { baseDir: o.baseDir } : {}), ...(o.allowUnsandboxed ? { allowUnsandboxed: true } : {}) });
  }
  const checker = checkerFor(check);
  if (checker) {
    return { label: () => `checker:${check.kind}`, modelFree: true, grade: async (answer) => checker(answer, task).correct, close: async () => undefined };
  }
  if (check.kind !== "judge" || o.judgeModel === null) throw new Error("a judge check needs a judge model");
  const seat = new EvalSeat(o.registry, { sessionId: o.sessionId, role: o.judgeRole }, o.judgeModel);
  const judge = new ModelJudge({ generator: o.generator, sessionId: o.sessionId, role: o.judgeRole, seed: o.seed, maxTokens: 48, ...(check.instruction ? { instruction: check.instruction } : {}) });
  const graded = new Map<string, Promise<boolean | null>>();
  let modelName: string | null = null;
  return {
    label: () => `judge:${check.judge}${modelName ? ` (${modelName})` : ""}`,
    modelFree: false,
    grade(answer) {
      if (answer === null) return Promise.resolve(false);
      const key = answerKey(answer);
      let verdict = graded.get(key);
      if (!verdict) {
        verdict = seat.open().then(async (model) => {
          modelName = model.name;
          return (await judge.grade({ task, answer, judge: check.judge })).correct;
        });
        graded.set(key, verdict);
      }
      return verdict;
    },
    close: () => seat.close(),
  };
}
