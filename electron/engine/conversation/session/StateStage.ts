/**
 * Seed 003's state stage: a cheap role turns the conversation into structured state (JSON), which
 * must pass a zod schema and its ranges. Invalid output is retried; when every attempt fails, a
 * deterministic function computes the state instead. Every result says which path produced it.
 *
 * The state is incremental: each call hands the model the state it produced last and only the
 * turns added since, so a state depends on exactly those two things (and on who computes it: the
 * model, the fields, the prompt — the stage's `identity`). That is also the cache key. Keying on
 * the whole conversation, which grows every round, could never hit; keyed like this, a state is
 * reused whenever a conversation repeats — a rerun of the same task, a second session with the
 * same opening — in this process or, with a persistent cache, in any later one.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { MetricInput } from "../../../../shared/conversation.js";
import type { ChatTurn } from "../../../../shared/slots.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";

/** Which path produced a state. */
export type StatePath = "model" | "cache" | "fallback";

/** A stored state and what producing it cost. */
export interface CachedState {
  state: unknown;
  /** Wall time of the model attempts that produced it: the latency a hit saves. */
  producedMs: number;
}

/** A cache that outlives the stage (data/store/stateCacheTable.ts keeps one in the session database). */
export interface PersistentStateCache {
  /** The entry under `key`, counting the use; undefined when there is none. */
  get(key: string): CachedState | undefined;
  put(key: string, role: string, entry: CachedState): void;
}

/** This stage's cache figures so far. */
export interface CacheFigures {
  hits: number;
  misses: number;
  /** Model time the hits saved, less the lookups. */
  savedMs: number;
}

export interface StateResult<T> {
  state: T;
  path: StatePath;
  /** Model attempts made for this call (0 for a cache hit). */
  attempts: number;
  /** Why each failed attempt was rejected. */
  errors: string[];
  /** The cache key: sha256 over the stage's identity, the previous state and the new turns. */
  inputHash: string;
  /** Lines (turns) new since the previous state: what this state was computed from. */
  newTurns: number;
  /** Time this call took: the model attempts, or the cache lookup. */
  latencyMs: number;
  /** On a cache hit, the model time it saved; 0 otherwise. */
  savedMs: number;
  /** The stage's cache figures after this call; null with the cache off. */
  cache: CacheFigures | null;
}

export interface StateStageOptions<T> {
  /** Schema with ranges (`z.number().min(0).max(1)`…); also sent as the JSON schema to grammar backends. */
  schema: z.ZodType<T>;
  generator: TurnGenerator;
  /** The cheap role that produces the state. */
  role: string;
  /** Builds the prompt from the turns since the last state and that state (null for the first). */
  prompt: (newTurns: string, previous: T | null) => ChatTurn[];
  /** The deterministic stand-in when the model cannot produce valid state. */
  fallback: (newTurns: string, previous: T | null) => T;
  /** Model attempts before falling back. Default 3. */
  attempts?: number;
  maxTokens?: number;
  /** False turns caching off: every state comes from the model or the fallback. Default true. */
  cache?: boolean;
  /** In-memory entries kept (oldest evicted). Default 256. */
  cacheSize?: number;
  /** Where states are also kept across stages and processes. */
  persistent?: PersistentStateCache | null;
  /**
   * Everything else the state depends on — the model, the fields, the prompt's wording — as text;
   * part of every cache key. Asked on each call, since a hot swap can change the model.
   */
  identity?: (context: { sessionId?: string }) => string;
  /** Where the path and cache figures are recorded (a SessionStore satisfies it); see {@link StateStage.run}. */
  recorder?: { recordMetric(input: MetricInput): unknown };
}

/** sha256 of a text. */
export function inputHash(input: string): string {
  return createHash("sha256").update(input).digest("hex");
}

/** The first balanced `{…}` in `text`, for backends without a grammar that wrap JSON in prose. */
export function extractJson(text: string): unknown {
  const start = text.indexOf("{");
  if (start < 0) throw new Error("no JSON object in the output");
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1)) as unknown;
  }
  throw new Error("unterminated JSON object in the output");
}

export class StateStage<T> {
  private readonly memory = new Map<string, CachedState>();
  private readonly jsonSchema: Record<string, unknown>;
  private readonly figures: CacheFigures = { hits: 0, misses: 0, savedMs: 0 };
  /** The conversation the last state was computed from, and that state. */
  private seen: string | null = null;
  private previous: T | null = null;

  constructor(private readonly options: StateStageOptions<T>) {
    this.jsonSchema = z.toJSONSchema(options.schema, { unrepresentable: "any" }) as Record<string, unknown>;
  }

  private get caching(): boolean {
    return this.options.cache !== false;
  }

  /**
   * The state after `conversation` (one line per turn, growing between calls). Only the lines added
   * since the previous call are new; a conversation that does not extend the previous one starts
   * over from no state. Records metrics `state.<path>` (value: attempts), `state.latencyMs`, and
   * with the cache on `state.cache.savedMs` per hit and `state.cache.miss` per miss.
   */
  async run(conversation: string, context: { sessionId?: string; seed?: number } = {}): Promise<StateResult<T>> {
    const continues = this.seen !== null && conversation.startsWith(this.seen) && (conversation.length === this.seen.length || conversation[this.seen.length] === "\n");
    const turns = continues ? conversation.slice((this.seen ?? "").length + 1) : conversation;
    const previous = continues ? this.previous : null;
    const key = inputHash(JSON.stringify([this.options.identity?.(context) ?? "", previous, turns]));
    const newTurns = turns ? turns.split("\n").length : 0;
    const base = { inputHash: key, newTurns, errors: [] as string[] };
    const started = performance.now();

    if (this.caching) {
      const hit = this.lookup(key);
      if (hit) {
        const latencyMs = performance.now() - started;
        const savedMs = Math.max(0, hit.producedMs - latencyMs);
        this.figures.hits++;
        this.figures.savedMs += savedMs;
        return this.done(conversation, { ...base, state: hit.state, path: "cache", attempts: 0, latencyMs, savedMs }, context.sessionId);
      }
      this.figures.misses++;
    }

    const errors: string[] = [];
    const attempts = this.options.attempts ?? 3;
    for (let i = 0; i < attempts; i++) {
      try {
        const r = await this.options.generator.generateTurn(this.options.role, {
          turns: this.options.prompt(turns, previous),
          sampling: { maxTokens: this.options.maxTokens ?? 96, temperature: 0.2, seed: (context.seed ?? 0) + i },
          ...(context.sessionId !== undefined ? { sessionId: context.sessionId } : {}),
          ...(this.options.generator.supportsGrammar ? { jsonSchema: this.jsonSchema } : {}),
          ...(context.sessionId ? { sessionId: context.sessionId } : {}),
        });
        const parsed = this.options.schema.safeParse(extractJson(r.text));
        if (!parsed.success) throw new Error(parsed.error.issues.map((x) => `${x.path.join(".") || "(root)"}: ${x.message}`).join("; "));
        const latencyMs = performance.now() - started;
        if (this.caching) this.remember(key, { state: parsed.data, producedMs: latencyMs });
        return this.done(conversation, { ...base, errors, state: parsed.data, path: "model", attempts: i + 1, latencyMs, savedMs: 0 }, context.sessionId);
      } catch (e) {
        errors.push(`attempt ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // The fallback is deterministic, so it is not cached: a later call may still get model state.
    const state = this.options.schema.parse(this.options.fallback(turns, previous));
    return this.done(conversation, { ...base, errors, state, path: "fallback", attempts, latencyMs: performance.now() - started, savedMs: 0 }, context.sessionId);
  }

  /** The cached state under `key` that still passes the schema (fields can change between runs). */
  private lookup(key: string): { state: T; producedMs: number } | undefined {
    const entry = this.memory.get(key) ?? this.options.persistent?.get(key);
    if (!entry) return undefined;
    const parsed = this.options.schema.safeParse(entry.state);
    if (!parsed.success) return undefined;
    this.memory.delete(key);
    this.memory.set(key, entry);
    return { state: parsed.data, producedMs: entry.producedMs };
  }

  private remember(key: string, entry: CachedState): void {
    this.memory.set(key, entry);
    const limit = this.options.cacheSize ?? 256;
    while (this.memory.size > limit) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
    this.options.persistent?.put(key, this.options.role, entry);
  }

  private done(conversation: string, r: Omit<StateResult<T>, "cache">, sessionId?: string): StateResult<T> {
    this.seen = conversation;
    this.previous = r.state;
    const result: StateResult<T> = { ...r, cache: this.caching ? { ...this.figures } : null };
    const rec = this.options.recorder;
    if (rec) {
      const metric = (name: string, value: number): unknown => rec.recordMetric({ sessionId: sessionId ?? null, name, value, role: this.options.role });
      metric(`state.${r.path}`, r.attempts);
      metric("state.latencyMs", r.latencyMs);
      if (this.caching) metric(r.path === "cache" ? "state.cache.savedMs" : "state.cache.miss", r.path === "cache" ? r.savedMs : 1);
    }
    return result;
  }
}
