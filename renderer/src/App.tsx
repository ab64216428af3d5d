/** The app frame: header with view switch and actions, sidebar, main panels, dialogs, notices. */
import { AssignDialog } from "./components/AssignDialog";
import { ComparePanel } from "./components/ComparePanel";
import { ExperimentEditor } from "./components/experiment/ExperimentEditor";
import { openExperimentEditor } from "./components/experiment/openExperimentEditor";
import { ExportDialog } from "./components/ExportDialog";
import { GraphPanel } from "./components/GraphPanel";
import { LeaderboardPanel } from "./components/LeaderboardPanel";
import { LibraryPanel } from "./components/LibraryPanel";
import { MetricsPanel } from "./components/metrics/MetricsPanel";
import { RegistryPanel } from "./components/RegistryPanel";
import { ResultsPanel } from "./components/results/ResultsPanel";
import { SessionsPanel } from "./components/SessionsPanel";
import { SkipLinks } from "./components/SkipLinks";
import { SettingsDialog } from "./components/SettingsDialog";
import { SwapDialog } from "./components/SwapDialog";
import { TimelinePanel } from "./components/TimelinePanel";
import { CodePanel, hasCode } from "./components/CodePanel";
import { useCode } from "./stores/codeStore";
import { useConnection } from "./stores/connectionStore";
import { useSessions } from "./stores/sessionsStore";
import { useUi } from "./stores/uiStore";

export function App() {
  const { view, setView, dialog, open, notices, dismiss } = useUi();
  const connection = useConnection();
  const hasSession = useSessions((s) => s.activeId !== null);
  const codeShown = useCode((s) => hasCode(s.report));
  return (
    <div className="app">
      <SkipLinks />
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden>◎</span> Conclave
        </div>
        <div className="tabs" role="tablist" aria-label="View">
          <button role="tab" aria-selected={view === "lab"} className={view === "lab" ? "active" : ""} onClick={() => setView("lab")}>
            Committee
          </button>
          <button role="tab" aria-selected={view === "metrics"} className={view === "metrics" ? "active" : ""} onClick={() => setView("metrics")}>
            Metrics
          </button>
          <button role="tab" aria-selected={view === "compare"} className={view === "compare" ? "active" : ""} onClick={() => setView("compare")}>
            Compare
          </button>
          <button role="tab" aria-selected={view === "leaderboard"} className={view === "leaderboard" ? "active" : ""} onClick={() => setView("leaderboard")}>
            Leaderboard
          </button>
          <button role="tab" aria-selected={view === "results"} className={view === "results" ? "active" : ""} onClick={() => setView("results")}>
            Results
          </button>
        </div>
        <div className="actions">
          <button className="btn" onClick={() => openExperimentEditor()}>New session</button>
          <button className="btn" disabled={!hasSession} onClick={() => open({ kind: "export" })}>Export</button>
          <button className="btn" onClick={() => open({ kind: "settings" })} aria-label="Settings">Settings</button>
          <span className={`conn conn-${connection.state}`} title={connection.lastError ?? connection.kind ?? ""}>
            {connection.kind === "electron" ? "app" : "loopback"} · {connection.state}
          </span>
        </div>
      </header>
      <div className="layout">
        <aside className="sidebar">
          <SessionsPanel />
          <RegistryPanel />
          <LibraryPanel />
        </aside>
        {view === "lab" ? (
          <main className={`main lab${codeShown ? " with-code" : ""}`}>
            <TimelinePanel />
            <CodePanel />
            <GraphPanel />
          </main>
        ) : view === "metrics" ? (
          <main className="main" id="panel-main" tabIndex={-1}>
            <MetricsPanel />
          </main>
        ) : view === "compare" ? (
          <main className="main" id="panel-main" tabIndex={-1}>
            <ComparePanel />
          </main>
        ) : view === "results" ? (
          <main className="main" id="panel-main" tabIndex={-1}>
            <ResultsPanel />
          </main>
        ) : (
          <main className="main" id="panel-main" tabIndex={-1}>
            <LeaderboardPanel />
          </main>
        )}
      </div>
      {dialog?.kind === "experiment" && <ExperimentEditor {...(dialog.source ? { source: dialog.source } : {})} {...(dialog.fork ? { fork: dialog.fork } : {})} />}
      {dialog?.kind === "export" && <ExportDialog />}
      {dialog?.kind === "settings" && <SettingsDialog backend={dialog.backend} />}
      {dialog?.kind === "swap" && <SwapDialog dialog={dialog} />}
      {dialog?.kind === "assign" && <AssignDialog dialog={dialog} />}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice ${n.tone}`} onClick={() => dismiss(n.id)}>
            {n.text}
          </div>
        ))}
      </div>
    </div>
  );
}
