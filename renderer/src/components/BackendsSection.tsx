/**
 * The registry's "Backends" section: every backend of the host's pool with its provider, model,
 * price and live monitoring (calls, success rate, average and p95 latency, last error, circuit),
 * polled every 2 s while on screen, then the backends running experiments brought (for their session
 * only). Enabling is a toggle here; adding and editing happen in Settings.
 */
import { useEffect } from "react";
import type { BackendEntry } from "../../../shared/backends.js";
import { formatMs, formatTime } from "../lib/format";
import { BACKENDS_POLL_MS, useBackends } from "../stores/backendsStore";
import { useUi } from "../stores/uiStore";
import { useSettings } from "../stores/settingsStore";

export function BackendsSection() {
  const backends = useBackends((s) => s.backends);
  const error = useBackends((s) => s.error);
  const refresh = useBackends((s) => s.refresh);
  const open = useUi((s) => s.open);
  const policy = useSettings((s) => s.settings?.routingPolicy);
  useEffect(() => {
    void useSettings.getState().refresh().catch(() => undefined);
  }, []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), BACKENDS_POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <section className="backends" aria-label="Backends">
      <div className="backends-head">
        <h3>Backends</h3>
        <span className="muted small">
          {backends.filter((b) => b.config.enabled && b.session === null).length} enabled{policy && ` · policy ${policy}`}
        </span>
        <button className="btn small" onClick={() => open({ kind: "settings", backend: "" })}>Add backend</button>
      </div>
      {error && backends.length === 0 && <p className="error-text small">{error}</p>}
      <ul className="backend-list">
        {backends.map((b) => (
          <BackendRow key={`${b.session ?? ""}/${b.config.name}`} entry={b} />
        ))}
      </ul>
    </section>
  );
}

function BackendRow({ entry }: { entry: BackendEntry }) {
  const { config, stats } = entry;
  const setEnabled = useBackends((s) => s.setEnabled);
  const open = useUi((s) => s.open);
  const notify = useUi((s) => s.notify);
  const toggle = (enabled: boolean): void => {
    setEnabled(config.name, enabled).catch((e: unknown) => notify("error", e instanceof Error ? e.message : String(e)));
  };
  const price = config.pricePer1kInput === 0 && config.pricePer1kOutput === 0 ? "free" : `$${config.pricePer1kInput}/$${config.pricePer1kOutput}`;
  return (
    <li
      className={`backend${config.enabled ? "" : " disabled"}`}
      aria-label={`Backend ${config.name}${entry.session ? " (session)" : ""}`}
      data-circuit={stats.circuit}
    >
      <div className="slot-top">
        {entry.session ? (
          <strong title={`Defined by the experiment of session ${entry.session}; it exists while that session runs`}>{config.name}</strong>
        ) : (
          <label className="check" title={config.enabled ? "Enabled" : "Disabled"}>
            <input type="checkbox" checked={config.enabled} aria-label={`Enable backend ${config.name}`} onChange={(e) => toggle(e.target.checked)} />
            <strong>{config.name}</strong>
          </label>
        )}
        {entry.session && <span className="badge">this session only</span>}
        <span className="badge">{config.provider}</span>
        <span className={`status circuit-${stats.circuit}`} aria-label={`circuit ${stats.circuit}`} title="Circuit breaker">
          {stats.circuit}
        </span>
        {!entry.builtIn && !entry.session && (
          <button className="icon-btn" aria-label={`Edit backend ${config.name}`} title="Edit" onClick={() => open({ kind: "settings", backend: config.name })}>
            ✎
          </button>
        )}
      </div>
      <div className="backend-model muted small" title={config.baseUrl || undefined}>
        {config.model || (entry.builtIn ? "each role's own slot" : "the caller's model")}
        {entry.hasApiKey && " · key stored"}
      </div>
      <dl className="metrics">
        <div><dt>price/1K</dt><dd title="USD per 1K tokens, input/output">{price}</dd></div>
        <div><dt>calls</dt><dd data-metric="calls">{stats.calls}</dd></div>
        <div><dt>success</dt><dd data-metric="success">{stats.successRate === null ? "—" : `${Math.round(stats.successRate * 100)}%`}</dd></div>
        <div><dt>avg</dt><dd>{formatMs(stats.avgLatencyMs)}</dd></div>
        <div><dt>p95</dt><dd>{formatMs(stats.p95LatencyMs)}</dd></div>
        <div><dt>weight</dt><dd>{config.weight}</dd></div>
      </dl>
      {stats.lastError && (
        <p className="error-text small backend-error" title={stats.lastError}>
          {stats.lastErrorAt !== null && `${formatTime(stats.lastErrorAt)} · `}
          {stats.lastError}
        </p>
      )}
    </li>
  );
}
