/**
 * A count with its noun, in the singular for one: "1 message", "2 messages", "1 miss", "3 misses".
 * Every view, the CLI and the engine's own sentences (transcript notes, errors, routing reasons)
 * word counts through this one function, so none says "1 messages".
 */

/** The regular English plural of `noun`: `-es` after s, x, z, ch and sh, else `-s`. */
export function pluralNoun(noun: string): string {
  return /(?:s|x|z|ch|sh)$/i.test(noun) ? `${noun}es` : `${noun}s`;
}

/** `count` and `noun`, the noun in the singular for exactly one; `many` for an irregular plural. */
export function plural(count: number, noun: string, many = pluralNoun(noun)): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : many}`;
}
