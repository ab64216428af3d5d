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

/** A word of the text: where it is and the form the index keeps. */
interface Token {
  start: number;
  end: number;
  folded: string;
  stem: string;
}

/** Words of context a snippet shows. */
const SNIPPET_WORDS = 20;
/** Words kept before the first match in a snippet. */
const LEAD_WORDS = 4;

function fold(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => {
    const folded = fold(m[0]);
    return { start: m.index, end: m.index + m[0].length, folded, stem: stemmer(folded) };
  });
}

/** One term as the words it must match, in order; `prefix` applies to the last. */
interface Pattern {
  stems: string[];
  prefix: boolean;
}

function patterns(terms: readonly QueryTerm[]): Pattern[] {
  return terms
    .map((t) => {
      const words = tokenize(t.text);
      return { stems: words.map((w, k) => (t.prefix && k === words.length - 1 ? w.folded : w.stem)), prefix: t.prefix };
    })
    .filter((p) => p.stems.length > 0);
}

/** The matched spans of `tokens` as [first, last] token indexes. */
function hits(tokens: readonly Token[], pats: readonly Pattern[]): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    let longest = 0;
    for (const p of pats) {
      const n = p.stems.length;
      if (i + n > tokens.length) continue;
      const ok = p.stems.every((s, k) => {
        const t = tokens[i + k]!;
        return p.prefix && k === n - 1 ? t.stem.startsWith(s) || t.folded.startsWith(s) : t.stem === s;
      });
      if (ok) longest = Math.max(longest, n);
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
