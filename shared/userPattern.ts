/**
 * The one place a regular expression that comes from a user (an experiment file, a task file, a
 * request) is compiled. JavaScript's own `RegExp` backtracks: `^(a+)+$` against forty-one characters
 * takes minutes, on whichever thread runs it. These patterns run on RE2's automata instead (the
 * `re2js` port: pure JavaScript, so the editor in the browser validates with the same engine the
 * engine matches with), whose time is linear in the text whatever the pattern. RE2 has no
 * backreferences or lookaround, since those need backtracking; a pattern using them is refused
 * with the reason, before anything runs.
 */
import { RE2JS } from "re2js";
import { z } from "zod";

/** Longer patterns are refused: nothing a checker or a router needs is this long. */
export const MAX_PATTERN_LENGTH = 2000;

/** One match: the whole matched text and its capture groups (undefined where a group took no part). */
export interface PatternMatch {
  text: string;
  groups: (string | undefined)[];
}

/** A compiled user pattern. Every method takes time linear in the text. */
export interface UserPattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The last of the non-overlapping matches in `text`, scanning left to right; null when none. */
  lastMatch(text: string): PatternMatch | null;
}

/** The compiled pattern, or why it cannot run. */
export type CompiledPattern = { ok: true; pattern: UserPattern } | { ok: false; reason: string };

export interface PatternOptions {
  /** Match case exactly (default: case-insensitive, as every pattern field of an experiment is). */
  caseSensitive?: boolean;
}

/** `\uXXXX` (JavaScript's spelling) as RE2's `\x{XXXX}`, leaving escaped backslashes alone. */
function rewriteUnicodeEscapes(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = source.slice(i + 1, i + 6);
    if (/^u[0-9a-fA-F]{4}$/.test(next)) {
      out += `\\x{${next.slice(1)}}`;
      i += 5;
    } else {
      out += source.slice(i, i + 2);
      i++;
    }
  }
  return out;
}

/** Why RE2 refused a pattern, in words that say what to change. */
function explain(message: string): string {
  // RE2 quotes the pattern with the flags it was given (`(?i)…`); the user wrote none of them.
  const reason = message.replace(/^error parsing regexp:\s*/, "").replace(/`\(\?i\)/g, "`");
  if (/\(\?[=!<]|\\[1-9]/.test(reason) || /invalid escape sequence: `\\[1-9]`/.test(reason)) {
    return `${reason} (lookaround and backreferences are not supported: matching runs in linear time)`;
  }
  return reason;
}

/** Compiles `source` with RE2; never throws. */
export function compileUserPattern(source: string, options: PatternOptions = {}): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `the pattern is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed` };
  let re: RE2JS;
  try {
    re = RE2JS.compile(rewriteUnicodeEscapes(source), options.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    return { ok: false, reason: explain(e instanceof Error ? e.message : String(e)) };
  }
  const groups = re.groupCount();
  return {
    ok: true,
    pattern: {
      source,
      test: (text) => re.test(text),
      lastMatch(text) {
        const m = re.matcher(text);
        let last: PatternMatch | null = null;
        while (m.find()) {
          const found: (string | undefined)[] = [];
          for (let g = 1; g <= groups; g++) found.push(m.group(g) ?? undefined);
          last = { text: m.group(0) ?? "", groups: found };
        }
        return last;
      },
    },
  };
}

/** Why `source` cannot run as a user pattern; null when it can. */
export function patternProblem(source: string, options?: PatternOptions): string | null {
  const compiled = compileUserPattern(source, options);
  return compiled.ok ? null : compiled.reason;
}

/** Compiles `source` or throws an error naming `field` and the reason. */
export function requireUserPattern(source: string, field: string, options?: PatternOptions): UserPattern {
  const compiled = compileUserPattern(source, options);
  if (!compiled.ok) throw new Error(`${field}: not a pattern this engine runs: ${compiled.reason}`);
  return compiled.pattern;
}

/** A schema field holding a user pattern: refused, with the reason, unless RE2 compiles it. */
export const UserPatternField = z
  .string()
  .min(1, "a pattern is required")
  .superRefine((source, ctx) => {
    const problem = patternProblem(source);
    if (problem !== null) ctx.addIssue({ code: "custom", message: `not a pattern this engine runs: ${problem}` });
  });

/**
 * The regular-expression engine ajv uses for JSON Schema `pattern` and `patternProperties`, so the
 * patterns of a `json-schema` check are linear-time too. ajv passes JSON Schema's flags ("u").
 */
export function schemaRegExp(pattern: string): { test(text: string): boolean } {
  const compiled = compileUserPattern(pattern, { caseSensitive: true });
  if (!compiled.ok) throw new Error(`pattern /${pattern.slice(0, 80)}/ is not one this engine runs: ${compiled.reason}`);
  return compiled.pattern;
}
schemaRegExp.code = "re2js";
