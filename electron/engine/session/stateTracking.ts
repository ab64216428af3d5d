/**
 * The experiment's state stage (seed 003) inside a session: before each round, the state role
 * condenses the conversation so far into the experiment's fields. Which path produced the state
 * (model, cache or the deterministic fallback) is recorded as a metric and in the system message
 * that carries the state, so a reader of the transcript can tell measured state from a stand-in.
 */
import { z } from "zod";
import type { Message } from "../../../shared/conversation.js";
import type { StateField, StateSpec } from "../../../shared/experiment.js";
import type { ChatTurn } from "../../../shared/slots.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import { StateStage, type StateResult } from "../state/StateStage.js";

export type SessionState = Record<string, number | string | boolean>;

function fieldSchema(f: StateField): z.ZodType<number | string | boolean> {
  switch (f.type) {
    case "number":
      return z.number().min(f.min).max(f.max);
    case "string":
      return z.string().max(f.maxLength);
    case "enum":
      return z.enum(f.values as [string, ...string[]]);
    case "boolean":
      return z.boolean();
  }
}

/**
 * The deterministic stand-in: neutral values that depend only on the input — the middle of each
 * number range, the first enum value, false, and for text the start of the latest line.
 */
export function fallbackState(spec: StateSpec, input: string): SessionState {
  const last = input.trim().split("\n").at(-1) ?? "";
  const out: SessionState = {};
  for (const [name, f] of Object.entries(spec.fields)) {
    out[name] = f.type === "number" ? (f.min + f.max) / 2 : f.type === "enum" ? f.values[0]! : f.type === "boolean" ? false : last.slice(0, f.maxLength);
  }
  return out;
}

function describe(name: string, f: StateField): string {
  if (f.type === "number") return `${name}: a number from ${f.min} to ${f.max}`;
  if (f.type === "enum") return `${name}: one of ${f.values.join(", ")}`;
  if (f.type === "boolean") return `${name}: true or false`;
  return `${name}: text, at most ${f.maxLength} characters`;
}

/** A state stage for the experiment's spec, recording its path in `recorder`. */
export function sessionStateStage(
  spec: StateSpec,
  generator: TurnGenerator,
  recorder: { recordMetric(input: { sessionId: string | null; name: string; value: number; role?: string | null }): unknown },
): StateStage<SessionState> {
  const schema = z.object(Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, fieldSchema(f)]))) as unknown as z.ZodType<SessionState>;
  const fields = Object.entries(spec.fields).map(([k, f]) => describe(k, f)).join("; ");
  return new StateStage<SessionState>({
    schema,
    generator,
    role: spec.role,
    attempts: spec.attempts ?? 3,
    maxTokens: spec.maxTokens ?? 96,
    prompt: (input): ChatTurn[] => [
      { role: "system", content: `Summarize the committee's current state as a JSON object with these fields — ${fields}.` },
      { role: "user", content: input },
    ],
    fallback: (input) => fallbackState(spec, input),
    recorder,
  });
}

/** The stage's input: the conversation so far, one line per message (the newest 40). */
export function stateInput(messages: readonly Message[]): string {
  return messages
    .slice(-40)
    .map((m) => `${m.from} (${m.type}): ${m.content.replace(/\s+/g, " ").slice(0, 400)}`)
    .join("\n");
}

/** The transcript line for a state: the values and which path produced them. */
export function stateNote(r: StateResult<SessionState>, round: number, role: string): string {
  const why = r.path === "fallback" ? ` after ${r.attempts} invalid attempts (${r.errors.at(-1) ?? ""})` : r.path === "cache" ? " (same input as before)" : "";
  return `State before round ${round}, from ${r.path === "model" ? role : r.path}${why}: ${JSON.stringify(r.state)}`;
}
