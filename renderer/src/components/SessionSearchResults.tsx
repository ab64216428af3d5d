/** Search hits over past sessions, best first; each opens its session at the matching message. */
import type { SearchHit } from "../../../shared/search.js";
import { hitKey, useSearch } from "../stores/searchStore";

const KIND_LABEL = { task: "task", message: "message", result: "result" } as const;

/** What a screen reader announces for a hit's button. */
function hitName(hit: SearchHit): string {
  const where = hit.kind === "task" ? "its task" : `${KIND_LABEL[hit.kind]} ${hit.seq} from ${hit.from}`;
  return `Open ${hit.sessionTitle || "untitled session"} at ${where}`;
}

export function SessionSearchResults() {
  const { result, searching, error, openedKey, open } = useSearch();
  const count = result?.hits.length ?? 0;
  const status = error
    ? error
    : searching
      ? "Searching…"
      : result
        ? `${count === 0 ? "No" : count} match${count === 1 ? "" : "es"}${result.truncated ? ` (newest ${result.rankedWindow.toLocaleString()} ranked)` : ""}`
        : "";
  return (
    <div className="search-results">
      <p className={`small pad ${error ? "error-text" : "muted"}`} role="status" aria-live="polite">
        {status}
      </p>
      <ul className="session-list" aria-label="Search results">
        {result?.hits.map((hit) => (
          <li key={hitKey(hit)}>
            <button
              className={`session-item${openedKey === hitKey(hit) ? " active" : ""}`}
              aria-label={hitName(hit)}
              onClick={() => void open(hit)}
            >
              <span className="session-title">{hit.sessionTitle || "Untitled session"}</span>
              <span className="muted small">
                <span className={`hit-kind hit-${hit.kind}`}>{KIND_LABEL[hit.kind]}</span>
                {hit.kind !== "task" && ` #${hit.seq} · ${hit.from}`}
              </span>
              <span className="hit-snippet small">
                {hit.snippet.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
