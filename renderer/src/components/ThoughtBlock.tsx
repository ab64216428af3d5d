/**
 * A message's thought (reasoning models' thought segment) as a collapsible block, closed by default
 * so the content stays what the timeline reads; and a repaired message's raw output, with what was
 * repaired, so the reader sees what the model actually wrote.
 */
import type { Message, Thought } from "../../../shared/conversation.js";
import { formatMs } from "../lib/format";

/** The thought of message `seq` (or of the turn streaming now, while `live`). */
export function ThoughtBlock({ thought, seq, live = false }: { thought: Pick<Thought, "text"> & Partial<Thought>; seq: number | null; live?: boolean }) {
  const facts = [
    thought.tokens !== undefined ? `${thought.tokens} tokens` : null,
    thought.ms !== undefined && thought.ms !== null ? formatMs(thought.ms) : null,
    thought.cut ? "cut at its budget" : null,
  ].filter(Boolean);
  const name = live ? "Thought, streaming" : `Thought of message ${seq ?? ""}`.trim();
  return (
    <details className="thought" open={live} aria-label={name}>
      <summary>
        {live ? "Thinking…" : "Thought"}
        {facts.length > 0 && <span className="muted small"> · {facts.join(" · ")}</span>}
      </summary>
      <div className="thought-body" data-testid={live ? "live-thought" : "thought-text"}>{thought.text}</div>
    </details>
  );
}

/** What the model wrote before the repairs, with the repairs listed. */
export function RawOutput({ message: m }: { message: Pick<Message, "seq" | "repairs" | "raw"> }) {
  if (m.repairs.length === 0) return null;
  return (
    <details className="raw-output" aria-label={`Raw output of message ${m.seq}`}>
      <summary>
        <span className="badge warn">repaired ×{m.repairs.length}</span> raw output
      </summary>
      <ul className="small">
        {m.repairs.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      {m.raw !== undefined ? <pre className="raw-text">{m.raw}</pre> : <p className="muted small">The raw output of this message was not kept (recorded before raw outputs were stored).</p>}
    </details>
  );
}
