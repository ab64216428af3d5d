/** One step of the store's schema: its own file so each migration can name the type without importing the list that imports it. */
import type { Database } from "./sqlite.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Code to run after `sql`, in the same transaction (schema changes SQL alone cannot express). */
  run?: (db: Database) => void;
  /**
   * Rebuilds a table that others reference: foreign keys are switched off around the migration
   * (a dropped parent would otherwise cascade into its children) and checked before commit.
   */
  rebuildsTable?: boolean;
}
