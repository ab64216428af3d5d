/**
 * Compares a replay's transcript with its source's, message by message (speaker, type, content),
 * and says where they part: the first diverging message on each side and how many messages match,
 * differ, or exist on one side only. Orchestrator notes about events (swap timings, faults, state
 * snapshots) are left out: they record how a run went, not what was said.
 */
import type { Message } from "../../../../shared/conversation.js";
import type { Divergence, ReplayReport, TranscriptSide } from "../../../../shared/lineage.js";
import { isEventNote } from "../bus/replayQueue.js";
import { plural } from "../../../../shared/plural.js";

const EXCERPT_CHARS = 160;

/** The comparison part of a {@link ReplayReport}. */
export type TranscriptComparison = Pick<ReplayReport, "compared" | "matched" | "differing" | "sourceOnly" | "replayOnly" | "firstDivergence">;

export function compareTranscripts(source: Iterable<Message>, replay: Iterable<Message>): TranscriptComparison {
  const a = [...source].filter((m) => !isEventNote(m));
  const b = [...replay].filter((m) => !isEventNote(m));
  const common = Math.min(a.length, b.length);
  let firstDivergence: Divergence | null = null;
  let matched = 0;
  let differing = 0;
  for (let i = 0; i < common; i++) {
    const fields = differences(a[i]!, b[i]!);
    if (fields.length === 0) {
      if (firstDivergence === null) matched++;
      continue;
    }
    differing++;
    firstDivergence ??= { index: i + 1, source: side(a[i]!), replay: side(b[i]!), fields };
  }
  if (firstDivergence === null && a.length !== b.length) {
    firstDivergence = { index: common + 1, source: a[common] ? side(a[common]) : null, replay: b[common] ? side(b[common]) : null, fields: [] };
  }
  return {
    compared: { source: a.length, replay: b.length },
    matched,
    differing,
    sourceOnly: a.length - common,
    replayOnly: b.length - common,
    firstDivergence,
  };
}

function differences(x: Message, y: Message): Divergence["fields"] {
  const out: Divergence["fields"] = [];
  if (x.from !== y.from) out.push("from");
  if (x.type !== y.type) out.push("type");
  if (x.content !== y.content) out.push("content");
  return out;
}

function side(m: Message): TranscriptSide {
  const text = m.content.replace(/\s+/g, " ").trim();
  return { seq: m.seq, from: m.from, type: m.type, excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text };
}

/** One line for a report: identical, or where the transcripts part and by how much. */
export function describeComparison(r: TranscriptComparison): string {
  const d = r.firstDivergence;
  if (!d) return `identical: ${plural(r.matched, "message")} match in speaker, type and content`;
  const at = (s: TranscriptSide | null, who: string) => (s ? `${who} #${s.seq} (${s.from}/${s.type})` : `${who} ended`);
  return (
    `diverges at message ${d.index}: ${at(d.source, "source")} vs ${at(d.replay, "replay")}` +
    (d.fields.length > 0 ? ` differ in ${d.fields.join(", ")}` : "") +
    `; ${r.matched} matched before it, ${r.differing} of ${Math.min(r.compared.source, r.compared.replay)} positions differ` +
    (r.sourceOnly > 0 ? `, ${r.sourceOnly} only in the source` : "") +
    (r.replayOnly > 0 ? `, ${r.replayOnly} only in the replay` : "")
  );
}
