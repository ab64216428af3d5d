/**
 * Skip links: the first tab stops of the page, shown when focused, that move focus straight to a
 * panel (the timeline, the graph, the sessions, the model library), so the keyboard does not walk
 * through every control in between.
 */
import { useUi } from "../stores/uiStore";

const TARGETS = [
  { id: "panel-timeline", label: "Skip to the conversation timeline", lab: true },
  { id: "panel-graph", label: "Skip to the committee graph", lab: true },
  { id: "panel-main", label: "Skip to the main view", lab: false },
  { id: "panel-sessions", label: "Skip to the sessions", lab: null },
  { id: "panel-library", label: "Skip to the model library", lab: null },
] as const;

/** Focuses the panel with `id` (each target is focusable with tabIndex -1). */
export function focusPanel(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  el.focus({ preventScroll: false });
  el.scrollIntoView({ block: "nearest" });
}

export function SkipLinks() {
  const lab = useUi((s) => s.view === "lab");
  return (
    <nav className="skip-links" aria-label="Skip links">
      {TARGETS.filter((t) => t.lab === null || t.lab === lab).map((t) => (
        <a
          key={t.id}
          href={`#${t.id}`}
          onClick={(e) => {
            e.preventDefault();
            focusPanel(t.id);
          }}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}
