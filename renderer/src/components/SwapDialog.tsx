/** Confirms a load or hot-swap after showing its predicted memory and time. */
import { formatBytes, formatMs } from "../lib/format";
import { confirmSwap } from "../lib/swap";
import { estimateTotalBytes } from "../../../shared/memoryEstimate.js";
import { estimatePartsText, estimateTotalText } from "../lib/memoryEstimateText";
import { useUi, type Dialog as DialogState } from "../stores/uiStore";
import { Dialog } from "./Dialog";

export function SwapDialog({ dialog }: { dialog: Extract<DialogState, { kind: "swap" }> }) {
  const close = useUi((s) => s.close);
  const p = dialog.prediction;
  const verb = p?.action === "load" ? "Load" : "Hot-swap";
  return (
    <Dialog title={`${verb} ${dialog.role}`}>
      <p>
        Put <strong>{dialog.modelName}</strong> into role <strong>{dialog.role}</strong>
        {p?.action === "swap" && `, carrying its ${p.historyTurns} history turns over`}?
      </p>
      {!p && !dialog.error && <p className="muted">Estimating memory and time…</p>}
      {dialog.error && <p className="error-text">{dialog.error}</p>}
      {p && (
        <dl className="prediction">
          <div>
            <dt>Predicted memory</dt>
            <dd data-testid="predicted-memory">
              {estimateTotalText(p.estimate)} <span className="muted small">({estimatePartsText(p.estimate)})</span>
              {p.estimateBytes < estimateTotalBytes(p.estimate) && <span className="muted small"> · adds {formatBytes(p.estimateBytes)}: the file is loaded for another seat already</span>}
            </dd>
          </div>
          <div>
            <dt>All models after</dt>
            <dd className={p.fitsBudget ? "" : "error-text"}>
              {formatBytes(p.projectedTotalBytes)} of {formatBytes(p.budgetBytes)} budget{p.fitsBudget ? "" : " — over budget: idle slots may be evicted or the load refused"}
            </dd>
          </div>
          <div>
            <dt>Predicted {p.action === "load" ? "load" : "swap"} time</dt>
            <dd data-testid="predicted-time">
              {formatMs(p.predictedMs)}{" "}
              <span className="muted small">(unload {formatMs(p.unloadMs)} + load {formatMs(p.loadMs)} + re-ingest {formatMs(p.reingestMs)})</span>
            </dd>
          </div>
          <div className="muted small"><dt>Basis</dt><dd>{p.basis}</dd></div>
        </dl>
      )}
      <footer className="dialog-foot">
        <button className="btn" onClick={close}>Cancel</button>
        <button className="btn primary" disabled={!p} onClick={() => void confirmSwap(dialog.sessionId, dialog.role, dialog.modelRef)} autoFocus>
          {verb}
        </button>
      </footer>
    </Dialog>
  );
}
