/**
 * Where a seat's turns ran: the backend its experiment names (with the fallback chain), and the
 * count of its recorded turns per backend that answered, read from the messages' `routing`, so a
 * fallback shows at a glance. Shown on a session's seat card in the registry.
 */
import { useMemo } from "react";
import { sessionRoles } from "../lib/sessionRoles";
import { useActiveSession } from "../stores/sessionsStore";
import { useTimeline } from "../stores/timelineStore";

export function SeatBackends({ sessionId, role }: { sessionId: string; role: string }) {
  const session = useActiveSession();
  const timelineSession = useTimeline((s) => s.sessionId);
  const messages = useTimeline((s) => s.messages);
  const configured = useMemo(() => (session?.id === sessionId ? sessionRoles(session).find((r) => r.name === role) : undefined), [session, sessionId, role]);
  const ran = useMemo(() => {
    const counts = new Map<string, number>();
    if (timelineSession !== sessionId) return counts;
    for (const m of messages) if (m.from === role && m.routing) counts.set(m.routing.backend, (counts.get(m.routing.backend) ?? 0) + 1);
    return counts;
  }, [messages, timelineSession, sessionId, role]);
  if (!configured?.backend && ran.size === 0) return null;
  const chain = configured?.backend ? [configured.backend, ...configured.fallback].join(" → ") : null;
  return (
    <p className="small seat-backends" aria-label={`${role} backends`}>
      {chain && <span>runs on {chain}</span>}
      {chain && ran.size > 0 && " · "}
      {ran.size > 0 && (
        <span>
          turns: {[...ran].map(([backend, n]) => `${backend} ×${n}`).join(", ")}
        </span>
      )}
    </p>
  );
}
