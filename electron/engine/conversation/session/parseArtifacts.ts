/**
 * Files out of a message: every fenced code block becomes an artifact. Its path comes from the
 * fence's info string (```` ```ts file=src/List.tsx ````, also `path=` or a bare path with a dot
 * and an extension), else from a first-line `// file: src/List.tsx` (or `# file:`, `<!-- file: -->`)
 * comment, which is then dropped from the content; otherwise the block revises the attachment whose
 * path or file name the text just before the block names, else the only attachment. Blocks with no
 * path by any of these rules are not files (an example, a shell line). A later block for the same
 * path replaces an earlier one.
 */
import type { WorkspaceFile } from "../../../../shared/attachments.js";
import { WorkspacePath } from "../../../../shared/attachments.js";

/** One artifact and how its path was found. */
export interface Artifact extends WorkspaceFile {
  from: "info" | "comment" | "named-attachment" | "only-attachment";
}

const FENCE = /^(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)^\1[ \t]*$/gm;
const INFO_PATH = /(?:^|\s)(?:file|path|filename)=("?)([^\s"]+)\1/;
const BARE_PATH = /^[\w.-]*\s+((?:[\w.-]+\/)*[\w-]+\.[\w]+)\s*$|^((?:[\w.-]+\/)+[\w-]+\.[\w]+)$/;
const COMMENT_PATH = /^\s*(?:\/\/|#|--|\/\*|<!--)\s*file(?:name)?:\s*([^\s*]+?)\s*(?:\*\/|-->)?\s*$/i;

function valid(p: string): string | null {
  const clean = p.replace(/^\.\//, "");
  return WorkspacePath.safeParse(clean).success ? clean : null;
}

/** The artifacts of `text`, given the attachments' workspace paths. */
export function parseArtifacts(text: string, attachments: readonly string[] = []): Artifact[] {
  const out = new Map<string, Artifact>();
  let last = 0;
  for (const m of text.matchAll(FENCE)) {
    const info = m[2]!.trim();
    let body = m[3]!;
    const before = text.slice(last, m.index);
    last = m.index + m[0].length;
    let found: { path: string; from: Artifact["from"] } | null = null;
    const infoPath = INFO_PATH.exec(info)?.[2] ?? (() => {
      const b = BARE_PATH.exec(info);
      return b ? (b[1] ?? b[2]) : undefined;
    })();
    if (infoPath && valid(infoPath)) found = { path: valid(infoPath)!, from: "info" };
    if (!found) {
      const firstLine = body.split("\n", 1)[0]!;
      const c = COMMENT_PATH.exec(firstLine);
      if (c && valid(c[1]!)) {
        found = { path: valid(c[1]!)!, from: "comment" };
        body = body.slice(firstLine.length + 1);
      }
    }
    if (!found) {
      const tail = before.slice(-300);
      const byName = attachments.filter((a) => tail.includes(a) || tail.includes(a.split("/").at(-1)!));
      if (byName.length >= 1) found = { path: byName.sort((a, b) => tail.lastIndexOf(b.split("/").at(-1)!) - tail.lastIndexOf(a.split("/").at(-1)!))[0]!, from: "named-attachment" };
      else if (attachments.length === 1) found = { path: attachments[0]!, from: "only-attachment" };
    }
    if (found) out.set(found.path, { path: found.path, content: body, from: found.from });
  }
  return [...out.values()];
}
