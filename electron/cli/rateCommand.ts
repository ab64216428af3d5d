/**
 * `conclave rate <messageId> <1-5> [--note TEXT] [--db FILE]`: rates a stored message. Stars are
 * stored as a 0..1 score ((stars − 1) / 4), the scale `--min-rating` and the exports read.
 */
import { parseArgs } from "node:util";
import { Stars } from "../../shared/ratings.js";
import { openEngineStore } from "../engine/openEngineStore.js";

/** Thrown for bad arguments; the CLI prints it with the usage text. */
export class RateUsageError extends Error {}

export async function rateCommand(args: string[], dbDefault: string, write: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: "string" }, note: { type: "string" } } });
  const [messageId, starsText] = positionals;
  if (!messageId || starsText === undefined) throw new RateUsageError("give a message id and a rating of 1 to 5");
  const stars = Stars.safeParse(Number(starsText));
  if (!stars.success || !/^\d+$/.test(starsText)) throw new RateUsageError(`the rating must be a whole number from 1 to 5 (got "${starsText}")`);
  const store = openEngineStore(values.db ?? dbDefault);
  try {
    const rating = await store.arena.rate({ messageId, stars: stars.data, note: values.note ?? "" });
    write(`${JSON.stringify(rating)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
