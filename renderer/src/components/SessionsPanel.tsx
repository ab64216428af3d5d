/**
 * The sessions list: newest first, status at a glance, click to open in the timeline. The search box
 * above it searches every stored session; while it holds a query, the hits replace the list.
 */
import { useMemo } from "react";
import { formatTime, plural } from "../lib/format";
import { useCompare } from "../stores/compareStore";
import { useSearch } from "../stores/searchStore";
import { useSessions } from "../stores/sessionsStore";
import { SessionSearchResults } from "./SessionSearchResults";
import { openExperimentEditor } from "./experiment/openExperimentEditor";

export function SessionsPanel() {
  const query = useSearch((s) => s.query);
  const setQuery = useSearch((s) => s.setQuery);
  const clear = useSearch((s) => s.clear);
  return (
    <nav className="panel sessions" aria-label="Sessions" id="panel-sessions" tabIndex={-1}>
      <header className="panel-head">
        <h2>Sessions</h2>
        <button className="btn small primary" onClick={() => openExperimentEditor()}>New session</button>
      </header>
      <div className="session-search" role="search" aria-label="Search past sessions">
        <input
          className="input"
          type="search"
          aria-label="Search sessions"
          placeholder="Search tasks, messages, results"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === "Escape" && clear()}
        />
      </div>
      {query.trim() ? <SessionSearchResults /> : <SessionList />}
    </nav>
  );
}

function SessionList() {
  const all = useSessions((s) => s.sessions);
  // A compare awaiting its vote stays out of the list: opening it would name the blind columns' models.
  const pendingCompare = useCompare((s) => (s.run && s.run.winner === null ? s.run.id : null));
  const pendingIds = useCompare((s) => s.pendingIds);
  const sessions = useMemo(() => all.filter((s) => s.id !== pendingCompare && !pendingIds.includes(s.id)), [all, pendingCompare, pendingIds]);
  const activeId = useSessions((s) => s.activeId);
  const select = useSessions((s) => s.select);
  return (
    <>
      {sessions.length === 0 && <p className="muted small pad">No sessions yet.</p>}
      <ul className="session-list" aria-label="Session list">
        {sessions.map((s) => (
          <li key={s.id}>
            <button className={`session-item${s.id === activeId ? " active" : ""}`} aria-current={s.id === activeId ? "true" : undefined} onClick={() => void select(s.id)}>
              <span className="session-title">
                {s.origin && <span className="badge">{s.origin.kind}</span>} {s.title || s.task}
              </span>
              <span className="muted small">
                <span className={`status status-${s.status}`}>{s.status === "waiting" ? "waiting for you" : s.status}</span> {s.protocolKind} · {plural(s.messageCount, "message")} · {formatTime(s.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
