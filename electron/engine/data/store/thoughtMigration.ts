/**
 * Migration 10: a message's thought (reasoning models' thought segment: text, tokens, time) and the
 * raw output of a repaired message, as two nullable columns on `messages`. Columns are added, not
 * rebuilt, so earlier rows stay as they are and read as messages without a thought.
 */
import type { Migration } from "./migration.js";

export const THOUGHT_MIGRATION: Migration = {
  version: 10,
  name: "message thoughts and raw output of repaired messages",
  sql: `
    ALTER TABLE messages ADD COLUMN thought TEXT;
    ALTER TABLE messages ADD COLUMN raw_output TEXT;
  `,
};
