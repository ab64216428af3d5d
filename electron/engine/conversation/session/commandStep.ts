/**
 * The plan's `command` step (conversation/protocols/plan.ts): the orchestrator checks the latest answer (or every
 * proposal of the round) by running a command in the sandbox, and posts the evidence as a
 * `consensus` (passed) or a `critique` (failed, with the trimmed compiler or test output) that cites
 * the checked message, so a validate loop's pass rule and a corrector's prompt work on it unchanged.
 * A resumed session takes the stored evidence over instead of running the command again.
 */
import type { Message } from "../../../../shared/conversation.js";
import { validatorCheck, type Experiment } from "../../../../shared/experiment.js";
import { describeOutcome, type CommandCheckSpec } from "../../../../shared/commandCheck.js";
import type { ConversationBus } from "../bus/ConversationBus.js";
import { labelOf } from "../bus/perspective.js";
import type { CommandStep } from "../protocols/plan.js";
import { trimmedEvidence } from "../../runtime/sandbox/commandCheck.js";
import type { SessionCode } from "./sessionCode.js";

/** The opening of every check message: replays and the UI recognise it. */
export const CHECK_PREFIX = "Command check";

export interface CommandStepContext {
  experiment: Experiment;
  bus: ConversationBus;
  code: SessionCode;
  round: number;
  phaseLog: readonly { phase: string; round: number; message: Message }[];
  log: (phase: string, message: Message) => void;
}

function specOf(step: CommandStep, e: Experiment): CommandCheckSpec | null {
  if (step.check === "validator") return validatorCheck(e.protocol.validator);
  return e.check?.kind === "command" ? e.check : null;
}

export async function runCommandStep(ctx: CommandStepContext, step: CommandStep): Promise<void> {
  const spec = specOf(step, ctx.experiment);
  if (!spec) return;
  const inPhase = ctx.phaseLog.filter((p) => step.of.includes(p.phase));
  const targets = step.each ? inPhase.filter((p) => p.round === ctx.round).map((p) => p.message) : inPhase.slice(-1).map((p) => p.message);
  for (const message of targets) await checkMessage(ctx, spec, message, step.phase, step.to);
}

/** Checks one message and posts the evidence (or takes a resumed session's stored evidence over). */
export async function checkMessage(ctx: CommandStepContext, spec: CommandCheckSpec, message: Message, phase: string, to: string[] | "all"): Promise<void> {
  const stored = ctx.bus.replaying ? ctx.bus.peekReplay() : null;
  if (stored && stored.from === "system" && stored.content.startsWith(CHECK_PREFIX)) {
    ctx.log(phase, ctx.bus.send({ from: "system", to, type: stored.type, content: stored.content, referencesTo: [message.id], round: ctx.round }));
    return;
  }
  const outcome = await ctx.code.check(spec, message);
  const head = `${CHECK_PREFIX} \`${spec.run.join(" ")}\` on ${labelOf(message)} (${outcome.artifacts.length} artifact${outcome.artifacts.length === 1 ? "" : "s"}: ${outcome.artifacts.join(", ") || "none"}): ${describeOutcome(outcome)}.`;
  const content = outcome.passed ? head : `${head}\n${trimmedEvidence(outcome)}`;
  ctx.log(phase, ctx.bus.send({ from: "system", to, type: outcome.passed ? "consensus" : "critique", content, referencesTo: [message.id], round: ctx.round }));
}

/** A session (not a task set) with a command check: its result is checked once it has one. */
export async function checkResult(ctx: CommandStepContext, resultId: string | null): Promise<void> {
  const e = ctx.experiment;
  if (e.check?.kind !== "command" || e.tasks !== undefined || resultId === null) return;
  const result = ctx.bus.history().find((m) => m.id === resultId);
  if (result) await checkMessage(ctx, e.check, result, "result-check", "all");
}
