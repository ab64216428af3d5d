/**
 * How deep a parsed value nests, measured without recursion. Validators recurse (zod walks a
 * `z.json()` field one call per level), so a value nested 100,000 deep ends in "Maximum call stack
 * size exceeded" with no word of where; checked first, it is refused with the path it went down.
 */

/** Deeper than any experiment needs: its own objects nest about six deep, a check's JSON Schema up to 64 more. */
export const MAX_INPUT_DEPTH = 100;

/** Where `value` nests deeper than `max` (the path of the first such branch, cut short), or null when it does not. */
export function tooDeep(value: unknown, max = MAX_INPUT_DEPTH): (string | number)[] | null {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return path.slice(0, 6);
    // Paths are only kept for the first levels: a deep one is cut short when reported anyway.
    const child = (k: string | number) => (path.length < 6 ? [...path, k] : path);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: child(i) }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, depth: depth + 1, path: child(k) });
  }
  return null;
}
