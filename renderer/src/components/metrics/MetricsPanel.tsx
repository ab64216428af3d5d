/**
 * "Metrics": plots of the active session, live while it runs and afterwards — speed and time to the
 * first token per role, thought tokens and time beside answer tokens, memory over time against the budget with swap markers, and the vote and
 * rating distributions. "Show tables" swaps every chart for the same numbers as a table. Below
 * them, each member's contribution and pruning advice (memory/AdvicePanel.tsx).
 */
import { useEffect, useState } from "react";
import { swapSeqMarks } from "../../lib/metricsSeries";
import { useMetrics } from "../../stores/metricsStore";
import { useActiveSession } from "../../stores/sessionsStore";
import { MemoryChart } from "./MemoryChart";
import { SpeedChart } from "./SpeedChart";
import { ThoughtChart } from "./ThoughtChart";
import { VoteCharts } from "./VoteCharts";
import { AdvicePanel } from "../memory/AdvicePanel";

export function MetricsPanel() {
  const session = useActiveSession();
  const { data, error, watch, unwatch } = useMetrics();
  const [tables, setTables] = useState(false);
  const sessionId = session?.id ?? null;

  useEffect(() => {
    watch(sessionId);
    return unwatch;
  }, [sessionId, watch, unwatch]);

  const current = data && data.sessionId === sessionId ? data : null;
  return (
    <section className="panel metrics-panel" aria-label="Metrics">
      <header className="panel-head">
        <h2>Metrics</h2>
        <span className="muted small">{session ? `${session.title || session.task.slice(0, 40)} · ${session.status}` : "no session"}</span>
        <span className="grow" />
        <button className="btn small" aria-pressed={tables} onClick={() => setTables((t) => !t)}>
          {tables ? "Show charts" : "Show tables"}
        </button>
      </header>
      {!session && <p className="muted pad">Select or start a session to see its metrics.</p>}
      {error && <p className="error-text pad">{error}</p>}
      {current && (
        <div className="chart-grid">
          <SpeedChart turns={current.turns} swaps={swapSeqMarks(current)} metric="tokensPerSec" title="Tokens per second by role" tables={tables} />
          <SpeedChart turns={current.turns} swaps={swapSeqMarks(current)} metric="ttftMs" title="Time to first token by role" tables={tables} />
          <ThoughtChart turns={current.turns} tables={tables} />
          <MemoryChart metrics={current} tables={tables} />
          <VoteCharts metrics={current} tables={tables} />
        </div>
      )}
      <AdvicePanel />
    </section>
  );
}
