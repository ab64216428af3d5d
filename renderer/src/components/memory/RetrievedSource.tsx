/**
 * Under a `retrieved` message in the timeline: where the past result came from — its session, why
 * it counts as a success (checker, vote, rating) and how similar its task is — with a button that
 * opens the past session at that result.
 */
import { useSolutions } from "../../stores/solutionsStore";
import { useSessions } from "../../stores/sessionsStore";
import { useTimeline } from "../../stores/timelineStore";

export function RetrievedSource({ messageId }: { messageId: string }) {
  const item = useSolutions((s) => s.byMessage[messageId]);
  const path = useSolutions((s) => s.use?.path);
  if (!item) return null;
  const open = async (): Promise<void> => {
    await useSessions.getState().select(item.sourceSessionId);
    useTimeline.getState().jumpTo(item.sourceMessageId);
  };
  return (
    <span className="retrieved-source small" role="group" aria-label="Retrieved from a past session">
      <span className="badge ok" title={item.evidence.join("\n")}>{path === "reuse" ? "reused" : "material"} · similarity {item.similarity.toFixed(2)} · {item.basis.join(", ")}</span>
      <button className="btn tiny" onClick={() => void open()} aria-label={`Open past session ${item.sourceTitle} at its result`}>
        Open past session
      </button>
    </span>
  );
}
