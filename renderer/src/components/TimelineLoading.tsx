/** The timeline's placeholder while a live session's models load: what loads, for which role, how far. */
import { useMemo } from "react";
import type { SessionInfo } from "../../../shared/conversation.js";
import { loadingHeading, loadingSeats } from "../lib/loadingSeats";
import { sessionRoles } from "../lib/sessionRoles";
import { useSlots } from "../stores/slotsStore";

export function TimelineLoading({ session }: { session: SessionInfo }) {
  const slots = useSlots((s) => s.slots);
  const seats = useMemo(() => loadingSeats(session.id, sessionRoles(session), slots), [session, slots]);
  return (
    <div className="empty timeline-loading" role="status" aria-label="Loading models">
      <p>{loadingHeading(seats)}</p>
      <ul className="small">
        {seats.map((s) => (
          <li key={s.role}>
            <strong>{s.role}</strong>
            {s.model && <> · {s.model}</>} · <span className="muted">{s.state}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">The first messages follow once the seats are loaded.</p>
    </div>
  );
}
