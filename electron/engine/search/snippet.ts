/**
 * Snippets with the matched words marked, cut in JavaScript from the stored text.
 *
 * FTS5's own `snippet()` re-runs the whole MATCH for the rows it is asked about; for a common word
 * or a prefix that walks tens of thousands of index entries per search, and it was most of a
 * search's cost. The text is at hand anyway, so the words are found here the way the index finds
 * them: Unicode words, diacritics folded, lower case, Porter stems (the `stemmer` package
 * implements the same algorithm as SQLite's `porter` tokenizer), phrases as consecutive words and
 * a trailing `*` as a prefix of the indexed form.
 */
import { stemmer } from "stemmer";
import type { SnippetPart } from "../../../shared/search.js";
import type { QueryTerm } from "./ftsQuery.js";

/** A word of the text: where it is and its folded form. */
interface Token {
  start: number;
  end: number;
  folded: string;
}

/** Words of context a snippet shows. */
const SNIPPET_WORDS = 20;
/** Words kept before the first match in a snippet. */
const LEAD_WORDS = 4;

/** Stems by folded word: texts share most of their words. */
const stems = new Map<string, string>();
const STEM_CACHE = 50_000;
const NON_ASCII = /[^\p{ASCII}]/u;

function fold(word: string): string {
  // Only non-ASCII words can carry accents; normalising every word would double the cost.
  return NON_ASCII.test(word) ? word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() : word.toLowerCase();
}

function stem(folded: string): string {
  let s = stems.get(folded);
  if (s === undefined) {
    if (stems.size >= STEM_CACHE) stems.clear();
    s = stemmer(folded);
    stems.set(folded, s);
  }
  return s;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
  return out;
}

/**
 * One query word as the index matches it: its stem (or, for a prefix, the folded prefix) and a
 * cheap test that rules out most words before stemming them — Porter's steps rewrite at most the
 * last two letters of what they keep, so a word with this stem starts with all but its last two.
 */
interface WordPattern {
  stem: string;
  prefix: boolean;
  lead: string;
}

function wordMatches(p: WordPattern, t: Token): boolean {
  if (!t.folded.startsWith(p.lead)) return false;
  return p.prefix ? t.folded.startsWith(p.stem) || stem(t.folded).startsWith(p.stem) : stem(t.folded) === p.stem;
}

/** One term as the words it must match, in order (a trailing `*` applies to the last). */
type Pattern = WordPattern[];

function patterns(terms: readonly QueryTerm[]): Pattern[] {
  return terms
    .map((t) => {
      const words = tokenize(t.text);
      return words.map((w, k) => {
        const prefix = t.prefix && k === words.length - 1;
        const s = prefix ? w.folded : stem(w.folded);
        return { stem: s, prefix, lead: s.slice(0, Math.max(1, s.length - 2)) };
      });
    })
    .filter((p) => p.length > 0);
}

/** The matched spans of `tokens` as [first, last] token indexes. */
function hits(tokens: readonly Token[], pats: readonly Pattern[]): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    let longest = 0;
    for (const p of pats) {
      if (i + p.length > tokens.length || p.length <= longest) continue;
      if (p.every((w, k) => wordMatches(w, tokens[i + k]!))) longest = p.length;
    }
    if (longest > 0) {
      spans.push([i, i + longest - 1]);
      i += longest - 1;
    }
  }
  return spans;
}

/** How many query words a text matches (to choose between a session's title and its task). */
export function matchCount(text: string, terms: readonly QueryTerm[]): number {
  return hits(tokenize(text), patterns(terms)).length;
}

/**
 * The passage of `text` of about {@link SNIPPET_WORDS} words holding the most matches, with the
 * matches marked and `…` where the text was cut.
 */
export function snippet(text: string, terms: readonly QueryTerm[], words = SNIPPET_WORDS): SnippetPart[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) return text ? [{ text, hit: false }] : [];
  const spans = hits(tokens, patterns(terms));
  let from = 0;
  let best = -1;
  for (const [first] of spans) {
    const start = Math.max(0, Math.min(first - LEAD_WORDS, tokens.length - words));
    const inside = spans.filter(([a, b]) => a >= start && b < start + words).length;
    if (inside > best) {
      best = inside;
      from = start;
    }
  }
  const to = Math.min(tokens.length, from + words) - 1;
  const begin = from === 0 ? 0 : tokens[from]!.start;
  const end = to === tokens.length - 1 ? text.length : tokens[to]!.end;
  const parts: SnippetPart[] = [];
  const push = (s: string, hit: boolean): void => {
    if (!s) return;
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += s;
    else parts.push({ text: s, hit });
  };
  if (begin > 0) push("…", false);
  let at = begin;
  for (const [a, b] of spans) {
    if (a < from || b > to) continue;
    push(text.slice(at, tokens[a]!.start), false);
    push(text.slice(tokens[a]!.start, tokens[b]!.end), true);
    at = tokens[b]!.end;
  }
  push(text.slice(at, end), false);
  if (end < text.length) push("…", false);
  return parts;
}
