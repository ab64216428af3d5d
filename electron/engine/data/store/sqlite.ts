/**
 * A typed door to better-sqlite3. The package ships no type declarations and `@types/better-sqlite3`
 * is not installed, so the small surface the store uses is declared here and the module is loaded
 * through `createRequire` (it is CommonJS with a native addon).
 */
import { createRequire } from "node:module";

/** A value SQLite binds or returns (we never enable safe integers, so no bigint comes back). */
export type SqlValue = string | number | bigint | Buffer | null;

/** One positional value, an array of them, or an object of named (`@name`) values. */
export type SqlParams = SqlValue | Record<string, SqlValue> | SqlValue[];

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement; `Row` is the shape of one result row. */
export interface Statement<Row = unknown> {
  run(...params: SqlParams[]): RunResult;
  get(...params: SqlParams[]): Row | undefined;
  all(...params: SqlParams[]): Row[];
  iterate(...params: SqlParams[]): IterableIterator<Row>;
  pluck(toggle?: boolean): Statement<Row>;
}

export interface Transaction<Args extends unknown[], R> {
  (...args: Args): R;
  immediate(...args: Args): R;
}

export interface Database {
  prepare<Row = unknown>(sql: string): Statement<Row>;
  exec(sql: string): Database;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  transaction<Args extends unknown[], R>(fn: (...args: Args) => R): Transaction<Args, R>;
  close(): Database;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly name: string;
}

export interface DatabaseOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Busy timeout in ms while another connection holds the write lock. */
  timeout?: number;
}

type DatabaseCtor = new (file: string, options?: DatabaseOptions) => Database;

const require = createRequire(import.meta.url);
const BetterSqlite3 = require("better-sqlite3") as DatabaseCtor;

/** Opens (creating when needed) a SQLite database file. */
export function openDatabase(file: string, options?: DatabaseOptions): Database {
  return new BetterSqlite3(file, options);
}

/** Prepares each SQL text once per connection and returns that statement from then on. */
export function statementCache(db: Database): <Row>(sql: string) => Statement<Row> {
  const statements = new Map<string, Statement>();
  return <Row>(sql: string): Statement<Row> => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s as Statement<Row>;
  };
}
