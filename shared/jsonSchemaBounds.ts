/**
 * Limits on the JSON Schema of a `json-schema` check, checked before anything runs. ajv compiles a
 * schema into code, and some schemas cost without bound: compiling an `enum` is quadratic in its
 * size (minutes at 100,000 strings), a schema nested 100,000 deep overflows the stack, and
 * `{"$ref": "#"}` compiles fine but recurses forever on the first answer it validates. Everything
 * here walks the schema iteratively, so a hostile schema costs time linear in its size.
 */
import { patternProblem } from "./userPattern.js";

/** The limits, chosen far above any schema a checker needs. */
export const SCHEMA_LIMITS = { depth: 64, nodes: 20_000, enumSize: 1000 } as const;

/** A problem with the schema: where (`check.schema.properties.a.pattern`) and why. */
export interface SchemaBoundIssue {
  path: string;
  message: string;
}

/** Keywords that are not subschemas but data: their content is not walked as schemas. */
const DATA = new Set(["enum", "const", "default", "examples", "required"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `a.b[0]` style path of a pointer into the schema. */
function pathOf(root: string, parts: readonly (string | number)[]): string {
  let out = root;
  for (const p of parts) out += typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

/** The subschema a local `$ref` (`#`, `#/$defs/x`) points at; undefined when it points nowhere. */
function resolvePointer(root: unknown, ref: string): { node: unknown; parts: (string | number)[] } | undefined {
  if (ref === "#") return { node: root, parts: [] };
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  const parts: (string | number)[] = [];
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      node = node[Number(key)];
      parts.push(Number(key));
    } else if (isObject(node) && Object.hasOwn(node, key)) {
      node = node[key];
      parts.push(key);
    } else return undefined;
  }
  return { node, parts };
}

interface Visit {
  node: unknown;
  parts: (string | number)[];
  depth: number;
}

/**
 * Problems with `schema`, reported under `root` (`check.schema`); empty when it is within bounds.
 * Refused: nesting deeper than {@link SCHEMA_LIMITS}.depth, more than `nodes` subschemas, an `enum`
 * longer than `enumSize`, a `$ref` other than a local `#…` pointer, one that points nowhere, a
 * `$ref` that reaches itself without descending into the value, and a `pattern` (or
 * `patternProperties` key) the linear-time engine cannot run.
 */
export function jsonSchemaIssues(schema: unknown, root = "check.schema"): SchemaBoundIssue[] {
  const issues: SchemaBoundIssue[] = [];
  const stack: Visit[] = [{ node: schema, parts: [], depth: 0 }];
  /** For each subschema holding a `$ref`: where it points and whether the way there descends. */
  const refs = new Map<unknown, { target: unknown; at: string }>();
  let nodes = 0;
  while (stack.length > 0 && issues.length < 20) {
    const { node, parts, depth } = stack.pop()!;
    if (depth > SCHEMA_LIMITS.depth) {
      issues.push({ path: pathOf(root, parts.slice(0, 8)), message: `the schema is nested more than ${SCHEMA_LIMITS.depth} deep` });
      break;
    }
    if (++nodes > SCHEMA_LIMITS.nodes) {
      issues.push({ path: root, message: `the schema has more than ${SCHEMA_LIMITS.nodes} parts` });
      break;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push({ node: item, parts: [...parts, i], depth: depth + 1 }));
      continue;
    }
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      const at = [...parts, key];
      if (key === "enum" && Array.isArray(value) && value.length > SCHEMA_LIMITS.enumSize) {
        issues.push({ path: pathOf(root, at), message: `an enum of ${value.length} values; at most ${SCHEMA_LIMITS.enumSize} are allowed` });
      } else if (key === "$ref") {
        if (typeof value !== "string") issues.push({ path: pathOf(root, at), message: "a $ref is a string" });
        else {
          const target = resolvePointer(schema, value);
          if (!target) issues.push({ path: pathOf(root, at), message: `$ref '${value.slice(0, 80)}' points nowhere in the schema (only local '#…' references are followed)` });
          else refs.set(node, { target: target.node, at: pathOf(root, at) });
        }
      } else if (key === "pattern" && typeof value === "string") {
        const problem = patternProblem(value, { caseSensitive: true });
        if (problem) issues.push({ path: pathOf(root, at), message: `not a pattern this engine runs: ${problem}` });
      } else if (key === "patternProperties" && isObject(value)) {
        for (const p of Object.keys(value)) {
          const problem = patternProblem(p, { caseSensitive: true });
          if (problem) issues.push({ path: pathOf(root, [...at, p]), message: `not a pattern this engine runs: ${problem}` });
        }
      }
      if (DATA.has(key)) continue;
      if (typeof value === "object" && value !== null) stack.push({ node: value, parts: at, depth: depth + 1 });
    }
  }
  if (issues.length === 0) issues.push(...refCycles(refs));
  return issues;
}

/**
 * A `$ref` cycle that never descends into the value (one through `properties` or `items` is fine:
 * the value ends). Following the `$ref` (and the in-place keywords
 * `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `$defs` entries reached by reference) leads
 * back to the same subschema for the same value, which recurses forever.
 */
function refCycles(refs: Map<unknown, { target: unknown; at: string }>): SchemaBoundIssue[] {
  /** The subschemas `node` applies to the same value: its `$ref` target and its in-place applicators. */
  const inPlace = (node: unknown): unknown[] => {
    if (!isObject(node)) return [];
    const out: unknown[] = [];
    const ref = refs.get(node);
    if (ref) out.push(ref.target);
    for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(node[key])) out.push(...(node[key] as unknown[]));
    for (const key of ["not", "if", "then", "else"]) if (isObject(node[key])) out.push(node[key]);
    return out;
  };
  const state = new Map<unknown, "open" | "done">();
  for (const start of refs.keys()) {
    if (state.has(start)) continue;
    const stack: { node: unknown; next: unknown[] }[] = [{ node: start, next: inPlace(start) }];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.next.pop();
      if (child === undefined) {
        state.set(top.node, "done");
        stack.pop();
        continue;
      }
      const s = state.get(child);
      if (s === "open") {
        const cycle = stack.slice(stack.findIndex((f) => f.node === child));
        const where = cycle.map((f) => refs.get(f.node)?.at).find((a) => a !== undefined) ?? "check.schema";
        return [{ path: where, message: "this $ref leads back to itself without descending into the value, so validating any answer would recurse forever" }];
      }
      if (s === undefined) {
        state.set(child, "open");
        stack.push({ node: child, next: inPlace(child) });
      }
    }
  }
  return [];
}
