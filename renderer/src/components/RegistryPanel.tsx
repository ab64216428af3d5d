/** "Model registry": one card per role slot, live status, memory and speed; a drop target each; then the backends. */
import { useState, type DragEvent } from "react";
import type { SlotInfo } from "../../../shared/slots.js";
import { formatBytes, formatMs, formatRate, roleHue } from "../lib/format";
import { MODEL_DRAG_TYPE, readDraggedModel, requestSwap } from "../lib/swap";
import { isCompareRole, useSlots } from "../stores/slotsStore";
import { useTimeline } from "../stores/timelineStore";
import { BackendsSection } from "./BackendsSection";
import { MemoryBar } from "./MemoryBar";
import { rpc } from "../transport/rpcClient";
import { useUi } from "../stores/uiStore";

export function RegistryPanel() {
  const slots = useSlots((s) => s.slots);
  const memory = useSlots((s) => s.memory);
  const [newRole, setNewRole] = useState("");
  const list = Object.values(slots).sort((a, b) => a.role.localeCompare(b.role));
  const budget = memory?.budgetBytes ?? 0;
  const validNewRole = /^[a-zA-Z0-9_-]{1,64}$/.test(newRole) && !slots[newRole];

  return (
    <section className="panel" aria-label="Model registry">
      <header className="panel-head">
        <h2>Model registry</h2>
        <span className="muted">{list.length} slot{list.length === 1 ? "" : "s"}</span>
      </header>
      {memory && (
        <div className="registry-total">
          <MemoryBar label="All models" estimate={memory.estimatedTotalBytes} measured={memory.measuredTotalBytes} budget={memory.budgetBytes} />
          <p className="hint">{memory.budgetRule}</p>
        </div>
      )}
      <ul className="slot-list">
        {list.map((slot) => (
          <SlotCard key={slot.role} slot={slot} budget={budget} />
        ))}
        <li>
          <DropZone
            label={validNewRole ? `Drop a model to load it as “${newRole}”` : "Name a new role, then drop a model here"}
            onModel={(m) => {
              if (!validNewRole) return;
              void requestSwap(newRole, m.ref, m.name);
              setNewRole("");
            }}
          >
            <input
              className="input"
              aria-label="New role name"
              placeholder="new role, e.g. critic"
              value={newRole}
              onChange={(e) => setNewRole(e.target.value.trim())}
            />
          </DropZone>
        </li>
      </ul>
      <BackendsSection />
    </section>
  );
}

function SlotCard({ slot, budget }: { slot: SlotInfo; budget: number }) {
  const speaking = useTimeline((s) => s.speaker === slot.role);
  const blind = isCompareRole(slot.role);
  const busy = slot.status === "loading" || slot.status === "swapping";
  const m = slot.metrics;
  const unload = (): void => {
    rpc().call("slots.unload", { role: slot.role }).catch((e: unknown) => useUi.getState().notify("error", String(e)));
  };
  return (
    <li>
      <DropZone
        label={`Drop a model on ${slot.role} to hot-swap`}
        onModel={(model) => !blind && void requestSwap(slot.role, model.ref, model.name)}
      >
        <article
          className={`slot${speaking ? " speaking" : ""}`}
          aria-label={`Slot ${slot.role}`}
          data-status={slot.status}
          style={{ ["--role-hue" as string]: roleHue(slot.role) }}
        >
          <div className="slot-top">
            <span className="role-chip">{blind ? "compare (blind)" : slot.role}</span>
            <span className={`status status-${slot.status}`} aria-label={`status ${slot.status}`}>
              {slot.status}
            </span>
            {!blind && slot.model && (
              <button className="icon-btn" aria-label={`Unload ${slot.role}`} title="Unload" onClick={unload}>
                ×
              </button>
            )}
          </div>
          <div className="slot-model" title={slot.model?.path}>
            {blind ? "hidden until the vote" : slot.model ? slot.model.name : <span className="muted">empty</span>}
            {!blind && slot.model && (
              <span className="muted small">
                {" "}
                {slot.model.quantization} · ctx {slot.contextSize}
                {slot.sharedWith.length > 0 && ` · shares with ${slot.sharedWith.join(", ")}`}
              </span>
            )}
          </div>
          {busy && (
            <div className="progress" role="progressbar" aria-label={`${slot.role} ${slot.status}`} aria-valuenow={Math.round((slot.progress ?? 0) * 100)}>
              <div style={{ width: `${Math.round((slot.progress ?? 0.05) * 100)}%` }} />
            </div>
          )}
          {slot.error && <p className="error-text">{slot.error}</p>}
          <MemoryBar label={`${slot.role} memory`} estimate={slot.memory.estimateBytes} measured={slot.memory.measuredBytes} budget={budget} />
          <dl className="metrics">
            <div><dt>TTFT</dt><dd data-metric="ttft">{formatMs(m.ttftMs)}</dd></div>
            <div><dt>gen</dt><dd data-metric="tps">{formatRate(m.genTokensPerSec)}</dd></div>
            <div><dt>prompt</dt><dd>{formatRate(m.promptTokensPerSec)}</dd></div>
            <div><dt>tokens</dt><dd>{m.tokensSoFar}</dd></div>
            <div><dt>context</dt><dd>{slot.contextTokens}/{slot.contextSize}</dd></div>
            <div><dt>pid</dt><dd>{slot.pid ?? "—"}</dd></div>
          </dl>
          <p className="sr-only">{formatBytes(slot.memory.measuredBytes)} measured</p>
        </article>
      </DropZone>
    </li>
  );
}

function DropZone({ label, onModel, children }: { label: string; onModel: (m: { ref: string; name: string }) => void; children: React.ReactNode }) {
  const [over, setOver] = useState(false);
  const accept = (e: DragEvent): boolean => e.dataTransfer.types.includes(MODEL_DRAG_TYPE);
  return (
    <div
      className={`dropzone${over ? " over" : ""}`}
      title={label}
      onDragOver={(e) => {
        if (!accept(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const model = readDraggedModel(e.dataTransfer);
        if (!model) return;
        e.preventDefault();
        onModel(model);
      }}
    >
      {children}
      {over && <div className="drop-hint">{label}</div>}
    </div>
  );
}
