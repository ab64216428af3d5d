/**
 * "No SQL outside the store": every query lives in a named, typed method of a repository under
 * electron/engine/data/store/, so a schema change is reviewed in one folder. This scans the shipped
 * sources (tests and test support excluded) of the engine, host, CLI, shell, bench and models
 * folders and fails on any database call, better-sqlite3 import or SQL statement text, naming the
 * file and line.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const SCANNED = ["electron", "bench", "models", "shared", "renderer"];
const STORE = join("electron", "engine", "data", "store") + sep;

/** What counts as talking to the database directly, with the reason shown on a hit. */
const RULES: readonly { pattern: RegExp; reason: string }[] = [
  { pattern: /\.prepare\s*(<[^>]*>)?\s*\(\s*[`"']/, reason: "prepares a statement" },
  { pattern: /\b(db|database|store\.db)\s*\.\s*(exec|pragma|prepare|transaction)\s*\(/i, reason: "calls the database" },
  { pattern: /\.db\s*\.\s*\w+\s*\(/, reason: "reaches a store's database handle" },
  { pattern: /["'`]better-sqlite3["'`]/, reason: "imports better-sqlite3" },
  { pattern: /["'`][^"'`]*\bSELECT\b[^"'`]*\bFROM\b/, reason: "holds SELECT … FROM" },
  { pattern: /["'`][^"'`]*\bINSERT\s+INTO\b/, reason: "holds INSERT INTO" },
  { pattern: /["'`][^"'`]*\bUPDATE\s+\w+\s+SET\b/, reason: "holds UPDATE … SET" },
  { pattern: /["'`][^"'`]*\bDELETE\s+FROM\b/, reason: "holds DELETE FROM" },
  { pattern: /["'`][^"'`]*\bCREATE\s+(TABLE|TRIGGER|INDEX|VIRTUAL\s+TABLE)\b/, reason: "holds CREATE …" },
  { pattern: /["'`][^"'`]*\bDROP\s+(TABLE|TRIGGER|INDEX)\b/, reason: "holds DROP …" },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "test" || e.name === "dist" ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Comments may name SQL (they explain why); only code counts. Line numbers are kept. */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, (c, lead: string) => lead + " ".repeat(c.length - lead.length));
}

/** `file:line: reason` for each hit in `files` (paths relative to the repository root). */
function sqlOutsideStore(files: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const rel = relative(ROOT, file);
    if (rel.startsWith(STORE)) continue;
    const text = withoutComments(readFileSync(file, "utf8"));
    const lines = text.split("\n");
    // Whole-text matching, so a statement split over a template's lines is still seen.
    for (const rule of RULES) {
      for (const m of text.matchAll(new RegExp(rule.pattern.source, `${rule.pattern.flags}g`))) {
        const line = text.slice(0, m.index).split("\n").length;
        hits.push(`${rel}:${line}: ${rule.reason}: ${(lines[line - 1] ?? "").trim().slice(0, 120)}`);
      }
    }
  }
  return hits;
}

describe("SQL lives only in the store", () => {
  it("finds no database call, better-sqlite3 import or SQL text in shipped sources outside electron/engine/data/store/", () => {
    const files = SCANNED.flatMap((d) => sources(join(ROOT, d)));
    assert.ok(files.length > 100, `scanned ${files.length} files`);
    assert.deepEqual(sqlOutsideStore(files), []);
  });

  it("would catch each kind of offence (the rules are live)", () => {
    const offences = [
      'const r = store.db.prepare("SELECT id FROM messages").all();',
      "db.exec(`CREATE TABLE t (x)`);",
      'import Database from "better-sqlite3";',
      'const sql = "UPDATE sessions SET title = ?";',
      "const q = `DELETE FROM votes WHERE id = ?`;",
      'const i = "INSERT INTO ratings VALUES (?)";',
    ];
    for (const text of offences) {
      const hit = RULES.some((r) => r.pattern.test(text));
      assert.ok(hit, `not caught: ${text}`);
    }
    assert.ok(!RULES.some((r) => r.pattern.test('const m = /"type"\\s*:/.exec(text);')), "a RegExp exec is not a database call");
    assert.ok(!RULES.some((r) => r.pattern.test("const e = await o.prepare(input);")), "an options.prepare hook is not a statement");
  });

  it("names the file and line of a hit, across a template's lines, and skips comments", () => {
    const dir = mkdtempSync(join(tmpdir(), "conclave-sql-scan-"));
    try {
      const file = join(dir, "offender.ts");
      writeFileSync(file, '// SELECT id FROM messages is fine in a comment\nconst a = 1;\nconst rows = conn.all(`\n  SELECT id\n  FROM messages`);\n');
      const hits = sqlOutsideStore([file]);
      assert.equal(hits.length, 1, hits.join("\n"));
      assert.match(hits[0]!, /offender\.ts:3: holds SELECT … FROM/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
