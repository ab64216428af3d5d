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
import type { SnippetPart } from "../../../../shared/search.js";
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

/**
 * The words of a text, read only as far as they are asked for: a snippet stops once it has seen
 * {@link MAX_SPANS} matches, so a message holding a word half a million times costs no more than
 * one holding it a few dozen times.
 */
class Tokens {
  private readonly list: Token[] = [];
  private readonly source: Iterator<RegExpMatchArray>;
  private done = false;

  constructor(readonly text: string) {
    this.source = text.matchAll(/[\p{L}\p{N}]+/gu);
  }

  /** The token at `i`, reading on as needed; undefined past the end. */
  at(i: number): Token | undefined {
    while (!this.done && this.list.length <= i) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else this.list.push({ start: next.value.index!, end: next.value.index! + next.value[0].length, folded: fold(next.value[0]) });
    }
    return this.list[i];
  }

  /** Tokens read so far; all of them once {@link ended} is true. */
  get length(): number {
    return this.list.length;
  }

  get ended(): boolean {
    return this.done;
  }
}

function tokenize(text: string): Token[] {
  const t = new Tokens(text);
  t.at(Number.MAX_SAFE_INTEGER);
  const out: Token[] = [];
  for (let i = 0; i < t.length; i++) out.push(t.at(i)!);
  return out;
}

/** Matches a snippet looks at at most: the best passage among the first this many is shown. */
export const MAX_SPANS = 200;

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

/** The matched spans of `tokens` as [first, last] token indexes, the first `max` of them. */
function hits(tokens: Tokens, pats: readonly Pattern[], max = MAX_SPANS): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; tokens.at(i) !== undefined && spans.length < max; i++) {
    let longest = 0;
    for (const p of pats) {
      if (p.length <= longest) continue;
      if (p.every((w, k) => {
        const t = tokens.at(i + k);
        return t !== undefined && wordMatches(w, t);
      })) longest = p.length;
    }
    if (longest > 0) {
      spans.push([i, i + longest - 1]);
      i += longest - 1;
    }
  }
  return spans;
}

/** How many query words a text matches, up to {@link MAX_SPANS} (to choose between a session's title and its task). */
export function matchCount(text: string, terms: readonly QueryTerm[]): number {
  return hits(new Tokens(text), patterns(terms)).length;
}

/**
 * The passage of `text` of about {@link SNIPPET_WORDS} words holding the most matches (among the
 * first {@link MAX_SPANS}), with the matches marked and `…` where the text was cut. Linear: the
 * passage is found with a sliding window over the matches.
 */
export function snippet(text: string, terms: readonly QueryTerm[], words = SNIPPET_WORDS): SnippetPart[] {
  const tokens = new Tokens(text);
  if (tokens.at(0) === undefined) return text ? [{ text, hit: false }] : [];
  const spans = hits(tokens, patterns(terms));
  // Each candidate window starts LEAD_WORDS before a match (pulled back at the end of the text).
  // Starts only grow, so the matches inside are counted with two pointers that only move forward:
  // the whole choice is linear in the matches.
  let from = 0;
  let best = -1;
  let lo = 0;
  let hi = 0;
  for (const [first] of spans) {
    let start = Math.max(0, first - LEAD_WORDS);
    if (tokens.at(start + words - 1) === undefined) start = Math.max(0, tokens.length - words);
    while (lo < spans.length && spans[lo]![0] < start) lo++;
    hi = Math.max(hi, lo);
    while (hi < spans.length && spans[hi]![1] < start + words) hi++;
    if (hi - lo > best) {
      best = hi - lo;
      from = start;
    }
  }
  tokens.at(from + words);
  const to = Math.min(tokens.length, from + words) - 1;
  const atEnd = tokens.ended && to === tokens.length - 1;
  const begin = from === 0 ? 0 : tokens.at(from)!.start;
  const end = atEnd ? text.length : tokens.at(to)!.end;
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
    push(text.slice(at, tokens.at(a)!.start), false);
    push(text.slice(tokens.at(a)!.start, tokens.at(b)!.end), true);
    at = tokens.at(b)!.end;
  }
  push(text.slice(at, end), false);
  if (end < text.length) push("…", false);
  return parts;
}
