/**
 * Line diffs for the artifact view: an artifact against the attachment it revises, or against a
 * member's earlier version of the same file. Uses the `diff` library's line diff (Myers), so
 * only the presentation is ours.
 */
import { diffLines } from "diff";

export interface DiffLine {
  kind: "add" | "del" | "same";
  text: string;
}

/** `after` against `before`, line by line; an absent `before` is all additions. */
export function lineDiff(before: string | null, after: string): DiffLine[] {
  const out: DiffLine[] = [];
  for (const part of diffLines(before ?? "", after)) {
    const kind = part.added ? "add" : part.removed ? "del" : "same";
    const lines = part.value.replace(/\n$/, "").split("\n");
    for (const text of lines) out.push({ kind, text });
  }
  return out;
}

/** Lines added and removed. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.kind === "add").length, removed: lines.filter((l) => l.kind === "del").length };
}
