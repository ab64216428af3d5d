/**
 * Turning untrusted text into FTS5 MATCH expressions that cannot break FTS5's query syntax.
 *
 * FTS5 gives meaning to `"`, `*`, `^`, `:`, `(`, `)`, `+`, `-` and the words AND, OR, NOT and NEAR;
 * raw input like `robot (` or `NEAR -x` is a syntax error, or silently means something else. So
 * nothing the user typed reaches FTS5 outside a double-quoted string: every word becomes a quoted
 * phrase (the tokenizer then splits it as it splits the indexed text), and the only syntax we
 * honour is our own — `"a phrase"` and a trailing `*` for a prefix — which we re-emit ourselves.
 */

/** A query FTS5 would not run, explained in words a user can act on. */
export class SearchQueryError extends Error {
  override readonly name = "SearchQueryError";
}

/** One unit of a query: a word or a phrase, matched as a prefix when `prefix` is set. */
export interface QueryTerm {
  text: string;
  prefix: boolean;
}

/** A parsed query: the terms as understood (for display) and the FTS5 expressions. */
export interface FtsQuery {
  terms: QueryTerm[];
  /** Every term must match (AND). */
  match: string;
  /**
   * Every word of every term must occur, in any order: a superset of `match` that is much cheaper
   * to walk when phrases are made of common words (no positions to compare). Equal to `match`
   * when the query has no phrases.
   */
  candidates: string;
}

/** At most this many terms in one query; more gets a clear error rather than a slow search. */
export const MAX_TERMS = 32;

const SEARCHABLE = /[\p{L}\p{N}]/u;
const WORDS = /[\p{L}\p{N}]+/gu;

/** `text` as an FTS5 string literal: inside double quotes every character is literal. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** The FTS5 expression for one term. */
export function termExpression(term: QueryTerm): string {
  return term.prefix ? `${quote(term.text)}*` : quote(term.text);
}

/** Display form of a term: `robo*`, `"brave robot"`. */
export function describeTerm(term: QueryTerm): string {
  const text = /\s/.test(term.text) ? `"${term.text}"` : term.text;
  return term.prefix ? `${text}*` : text;
}

/**
 * Splits user input into terms: whitespace separates words, `"…"` groups a phrase (an unclosed
 * quote runs to the end), a word ending in `*` is a prefix. Terms without a letter or digit are
 * dropped, since they can match nothing; control characters (NUL included) count as whitespace.
 */
export function parseTerms(raw: string): QueryTerm[] {
  // Control characters separate words: none is indexed, and a NUL inside a quoted FTS5 string ends
  // it early for SQLite's parser ("unterminated string").
  const input = raw.replace(/\p{Cc}/gu, " ");
  const terms: QueryTerm[] = [];
  const push = (raw: string, phrase: boolean): void => {
    let text = raw.trim();
    let prefix = false;
    if (!phrase && text.endsWith("*")) {
      text = text.replace(/\*+$/, "");
      prefix = true;
    }
    if (SEARCHABLE.test(text)) terms.push({ text, prefix });
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const end = input.indexOf('"', i + 1);
      const stop = end < 0 ? input.length : end;
      push(input.slice(i + 1, stop), true);
      i = stop + 1;
    } else {
      let j = i;
      while (j < input.length && !/\s/.test(input[j]!) && input[j] !== '"') j++;
      push(input.slice(i, j), false);
      i = j;
    }
  }
  return terms;
}

/** The FTS5 expression for a user's query: every term must match. */
export function userQuery(input: string): FtsQuery {
  const terms = parseTerms(input);
  if (terms.length === 0) throw new SearchQueryError("the query has no words to search for (letters or digits)");
  if (terms.length > MAX_TERMS) throw new SearchQueryError(`the query has ${terms.length} words; at most ${MAX_TERMS} are searched`);
  const words = terms.flatMap((t) => {
    const parts = t.text.match(WORDS) ?? [];
    return parts.map((w, i) => termExpression({ text: w, prefix: t.prefix && i === parts.length - 1 }));
  });
  const match = terms.map(termExpression).join(" AND ");
  return { terms, match, candidates: words.length > terms.length ? words.join(" AND ") : match };
}

/** An FTS5 expression matching rows with any of `words` (each quoted, so any text is safe). */
export function anyOf(words: readonly string[]): string {
  return words.map((w) => quote(w)).join(" OR ");
}

/** Words too common in English to tell one task from another. */
const STOP_WORDS = new Set(
  ("a an and are as at be but by can do does for from has have he her his how i if in into is it its me my no not of on or " +
    "our she so than that the their them then there these they this to too was we were what when where which who why will " +
    "with would you your").split(" "),
);

/**
 * The distinct content words of a free text (a task), lower-cased with diacritics folded, in order
 * of first appearance; `counts` holds how often each occurs. Stop words and single characters are
 * left out: they would match nearly every row and say nothing about similarity.
 */
export function contentWords(text: string, limit = MAX_TERMS): { words: string[]; counts: Map<string, number>; length: number } {
  const tokens = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (const t of tokens) {
    if (t.length < 2 || STOP_WORDS.has(t)) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return { words: [...counts.keys()].slice(0, limit), counts, length: tokens.length };
}
