/**
 * Seed 003's state stage: a cheap role turns the conversation into structured state (JSON), which
 * must pass a zod schema and its ranges. Invalid output is retried; a result is cached by a hash of
 * its input, so the same conversation never costs a second call; when every attempt fails, a
 * deterministic function computes the state instead. Every result says which path produced it.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { MetricInput } from "../../../shared/conversation.js";
import type { ChatTurn } from "../../../shared/slots.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";

/** Which path produced a state. */
export type StatePath = "model" | "cache" | "fallback";

export interface StateResult<T> {
  state: T;
  path: StatePath;
  /** Model attempts made for this call (0 for a cache hit). */
  attempts: number;
  /** Why each failed attempt was rejected. */
  errors: string[];
  inputHash: string;
}

export interface StateStageOptions<T> {
  /** Schema with ranges (`z.number().min(0).max(1)`…); also sent as the JSON schema to grammar backends. */
  schema: z.ZodType<T>;
  generator: TurnGenerator;
  /** The cheap role that produces the state. */
  role: string;
  /** Builds the prompt from the stage input. */
  prompt: (input: string) => ChatTurn[];
  /** The deterministic stand-in when the model cannot produce valid state. */
  fallback: (input: string) => T;
  /** Model attempts before falling back. Default 3. */
  attempts?: number;
  maxTokens?: number;
  /** Cache entries kept (oldest evicted). Default 256. */
  cacheSize?: number;
  /** Where the path taken is recorded (a SessionStore satisfies it): metric `state.<path>`. */
  recorder?: { recordMetric(input: MetricInput): unknown };
}

/** sha256 of the input, the cache key. */
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
  private readonly cache = new Map<string, T>();
  private readonly jsonSchema: Record<string, unknown>;

  constructor(private readonly options: StateStageOptions<T>) {
    this.jsonSchema = z.toJSONSchema(options.schema, { unrepresentable: "any" }) as Record<string, unknown>;
  }

  async run(input: string, context: { sessionId?: string; seed?: number } = {}): Promise<StateResult<T>> {
    const hash = inputHash(input);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return this.done({ state: cached, path: "cache", attempts: 0, errors: [], inputHash: hash }, context.sessionId);
    const errors: string[] = [];
    const attempts = this.options.attempts ?? 3;
    for (let i = 0; i < attempts; i++) {
      try {
        const r = await this.options.generator.generateTurn(this.options.role, {
          turns: this.options.prompt(input),
          sampling: { maxTokens: this.options.maxTokens ?? 96, temperature: 0.2, seed: (context.seed ?? 0) + i },
          ...(context.sessionId !== undefined ? { sessionId: context.sessionId } : {}),
          ...(this.options.generator.supportsGrammar ? { jsonSchema: this.jsonSchema } : {}),
        });
        const parsed = this.options.schema.safeParse(extractJson(r.text));
        if (!parsed.success) throw new Error(parsed.error.issues.map((x) => `${x.path.join(".") || "(root)"}: ${x.message}`).join("; "));
        this.remember(hash, parsed.data);
        return this.done({ state: parsed.data, path: "model", attempts: i + 1, errors, inputHash: hash }, context.sessionId);
      } catch (e) {
        errors.push(`attempt ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // The fallback is deterministic, so it is not cached: a later call may still get model state.
    const state = this.options.schema.parse(this.options.fallback(input));
    return this.done({ state, path: "fallback", attempts, errors, inputHash: hash }, context.sessionId);
  }

  private remember(hash: string, state: T): void {
    this.cache.set(hash, state);
    const limit = this.options.cacheSize ?? 256;
    while (this.cache.size > limit) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  private done(result: StateResult<T>, sessionId?: string): StateResult<T> {
    this.options.recorder?.recordMetric({ sessionId: sessionId ?? null, name: `state.${result.path}`, value: result.attempts, role: this.options.role });
    return result;
  }
}
