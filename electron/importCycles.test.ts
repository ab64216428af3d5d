/**
 * No import cycles in `electron/`, `shared/` or `models/`: a cycle makes load order matter and hides
 * which of two modules owns a concept. Type-only imports count too, since a type shared both ways
 * means the concept belongs in a third file. The graph is read with the TypeScript parser (no
 * type-check), resolving each relative specifier against the file system.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, globSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Cycles tolerated, as sorted member lists: none. */
const ALLOWED: readonly string[][] = [];

function resolveSpecifier(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = join(dirname(from), spec);
  const stem = base.replace(/\.(m|c)?js$/, "");
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, join(base, "index.ts")]) {
    if (existsSync(join(ROOT, candidate)) && /\.(m|c)?tsx?$/.test(candidate)) return candidate.split("\\").join("/");
  }
  return undefined;
}

function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, false);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specs.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) specs.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs.map((s) => resolveSpecifier(file, s)).filter((f): f is string => f !== undefined);
}

/** The strongly connected components with more than one file (Tarjan's algorithm). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

function moduleGraph(): Map<string, string[]> {
  const files = ["electron", "shared", "models"].flatMap((dir) => globSync(`${dir}/**/*.{ts,tsx,mts,cts}`, { cwd: ROOT }));
  return new Map(files.map((f) => [f.split("\\").join("/"), importsOf(f)]));
}

test("the module graph of electron/, shared/ and models/ has no import cycle", () => {
  const graph = moduleGraph();
  assert.ok(graph.size > 100, `read only ${graph.size} files from ${relative(process.cwd(), ROOT) || "."}`);
  const allowed = new Set(ALLOWED.map((c) => [...c].sort().join(" ")));
  const unexpected = cycles(graph).filter((c) => !allowed.has(c.join(" ")));
  assert.deepEqual(unexpected, [], `import cycles:\n${unexpected.map((c) => `  ${c.join(" → ")}`).join("\n")}`);
});

test("the cycle finder reports a two-file cycle and passes a chain", () => {
  assert.deepEqual(cycles(new Map([["a", ["b"]], ["b", ["a"]], ["c", ["a"]]])), [["a", "b"]]);
  assert.deepEqual(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]])), []);
});
