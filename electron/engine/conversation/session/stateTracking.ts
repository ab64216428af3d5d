/**
 * The experiment's state stage (seed 003) inside a session: before each round, the state role
 * updates the committee's state from the turns since the previous state. Which path produced the
 * state (model, cache or the deterministic fallback) is recorded as a metric and in the system
 * message that carries the state, with the cache's hits, misses and the model time they saved, so
 * a reader of the transcript can tell measured state from a reused one or a stand-in.
 */
import { z } from "zod";
import type { Message, MetricInput, SlotAssignment } from "../../../../shared/conversation.js";
import type { StateField, StateSpec } from "../../../../shared/experiment.js";
import type { ChatTurn } from "../../../../shared/slots.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import { StateStage, type PersistentStateCache, type StateResult } from "./StateStage.js";
import { plural } from "../../../../shared/plural.js";

export type SessionState = Record<string, number | string | boolean>;

/** New turns shown to the state role at most; older ones are already in the previous state. */
const PROMPT_TURNS = 40;
/** Changes whenever the prompt's wording does, so states from an older prompt are not reused. */
const PROMPT_VERSION = "state-prompt/2";
const NOTE_PREFIX = "State before round ";

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

/** What the stage records into and reads from; a SessionStore satisfies it. */
export interface StateStore {
  recordMetric(input: MetricInput): unknown;
  /** With it, the model now serving the state role is part of the cache key. */
  listAssignments?(sessionId: string): SlotAssignment[];
  /** With it (and the spec's `cache` not false), states are cached across sessions in this database. */
  readonly stateCache?: PersistentStateCache;
}

/** The model file serving `role` in the session now (its latest assignment), or "unknown". */
function modelOf(store: StateStore, role: string, sessionId: string | undefined): string {
  if (!sessionId || !store.listAssignments) return "unknown";
  return store.listAssignments(sessionId).filter((a) => a.role === role).at(-1)?.model.fingerprint ?? "unknown";
}

/** A state stage for the experiment's spec, recording its path in `store` and caching in its database. */
export function sessionStateStage(spec: StateSpec, generator: TurnGenerator, store: StateStore): StateStage<SessionState> {
  const schema = z.object(Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, fieldSchema(f)]))) as unknown as z.ZodType<SessionState>;
  const fields = Object.entries(spec.fields).map(([k, f]) => describe(k, f)).join("; ");
  const caching = spec.cache !== false;
  const fixed = JSON.stringify([PROMPT_VERSION, spec.role, spec.fields, spec.maxTokens ?? 96, generator.backend]);
  return new StateStage<SessionState>({
    schema,
    generator,
    role: spec.role,
    attempts: spec.attempts ?? 3,
    maxTokens: spec.maxTokens ?? 96,
    cache: caching,
    persistent: caching ? (store.stateCache ?? null) : null,
    identity: ({ sessionId }) => `${fixed}|${modelOf(store, spec.role, sessionId)}`,
    prompt: (turns, previous): ChatTurn[] => [
      { role: "system", content: `Keep the committee's state as a JSON object with these fields — ${fields}. Update the previous state with the new turns.` },
      {
        role: "user",
        content: `Previous state: ${previous ? JSON.stringify(previous) : "none yet"}\nNew turns:\n${turns.split("\n").slice(-PROMPT_TURNS).join("\n") || "(none)"}`,
      },
    ],
    // With no new turns, nothing can have changed: the stand-in is the previous state itself.
    fallback: (turns, previous) => (previous && !turns.trim() ? previous : fallbackState(spec, turns)),
    recorder: store,
  });
}

/** True for the system messages that carry a state (they are not input to the next one). */
export function isStateNote(m: Message): boolean {
  return m.from === "system" && m.content.startsWith(NOTE_PREFIX);
}

/**
 * The stage's input: the whole conversation so far, one line per message, without the state notes
 * (they repeat the previous state, which the stage already has, and say how it was produced,
 * which would make a repeated conversation look new). The stage itself takes only the lines added
 * since its last state.
 */
export function stateInput(messages: readonly Message[]): string {
  return messages
    .filter((m) => !isStateNote(m))
    .map((m) => `${m.from} (${m.type}): ${m.content.replace(/\s+/g, " ").slice(0, 400)}`)
    .join("\n");
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** The transcript line for a state: the values, which path produced them, and the cache's figures. */
export function stateNote(r: StateResult<SessionState>, round: number, role: string): string {
  const why =
    r.path === "fallback"
      ? ` after ${r.attempts} invalid attempts (${r.errors.at(-1) ?? ""})`
      : r.path === "cache"
        ? ` (same previous state and new turns as an earlier run; ${ms(r.savedMs)} saved)`
        : "";
  const cache = r.cache ? ` [state cache: ${plural(r.cache.hits, "hit")}, ${plural(r.cache.misses, "miss")}, ${ms(r.cache.savedMs)} saved]` : "";
  return `${NOTE_PREFIX}${round}, from ${r.path === "model" ? role : r.path}${why}${cache}: ${JSON.stringify(r.state)}`;
}
