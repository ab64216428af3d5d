/**
 * "Model registry": the seats of the session on screen, then the lab's hand-loaded seats, then a
 * count of other sessions' seats — one card per seat with live status, memory and speed, a drop
 * target each — the running session's residency plan, then the backends.
 */
import { modelNameText } from "../../../shared/names.js";
import { useEffect, useState, type DragEvent } from "react";
import { seatKey, type MemoryMeasure, type SlotInfo } from "../../../shared/slots.js";
import { formatBytes, formatMs, formatRate } from "../lib/format";
import { useRoleHue } from "../lib/useRoleHue";
import { MODEL_DRAG_TYPE, readDraggedModel, requestSwap } from "../lib/swap";
import { isBlindSeat, useSlots } from "../stores/slotsStore";
import { useActiveSession, useSessions } from "../stores/sessionsStore";
import { useTimeline } from "../stores/timelineStore";
import { useResidency } from "../stores/residencyStore";
import { BackendsSection } from "./BackendsSection";
import { SeatBackends } from "./SeatBackends";
import { MemoryBar } from "./MemoryBar";
import { estimateTotalBytes } from "../../../shared/memoryEstimate.js";
import { estimatePartsText, estimateTotalText } from "../lib/memoryEstimateText";
import { NewRoleField } from "./NewRoleField";
import { sharedWithText } from "../lib/sharedWithText";
import { ResidencyPlanView } from "./ResidencyPlanView";
import { rpc } from "../transport/rpcClient";
import { useUi } from "../stores/uiStore";

/** What each platform's one memory figure is, in the user's words. */
const MEASURE_LABEL: Record<MemoryMeasure, string> = {
  "linux-anon-unevictable": "anonymous + unevictable resident memory",
  "darwin-phys-footprint": "physical footprint (Activity Monitor's Memory)",
  rss: "resident set size",
};

export function RegistryPanel() {
  const slots = useSlots((s) => s.slots);
  const memory = useSlots((s) => s.memory);
  const sessions = useSessions((s) => s.sessions);
  const active = useActiveSession();
  const touchPlan = useResidency((s) => s.touch);
  const [newRole, setNewRole] = useState("");
  const all = Object.values(slots).sort((a, b) => a.role.localeCompare(b.role));
  const mine = all.filter((s) => active && s.sessionId === active.id);
  const lab = all.filter((s) => s.sessionId === null);
  const others = all.filter((s) => s.sessionId !== null && s.sessionId !== active?.id);
  const budget = memory?.budgetBytes ?? 0;
  const validNewRole = /^[a-zA-Z0-9_-]{1,64}$/.test(newRole) && !slots[seatKey({ sessionId: null, role: newRole })];
  const running = active && (active.status === "running" || active.status === "paused" || active.status === "waiting") ? active.id : null;
  useEffect(() => touchPlan(), [slots, touchPlan]);

  return (
    <section className="panel" aria-label="Model registry">
      <header className="panel-head">
        <h2>Model registry</h2>
        <span className="muted">{all.length} seat{all.length === 1 ? "" : "s"}</span>
      </header>
      {memory && (
        <div className="registry-total">
          <MemoryBar label="All models" estimate={memory.inUseBytes} measured={memory.measuredTotalBytes} budget={memory.budgetBytes} />
          <p className="hint">
            Budget: {memory.budgetRule}. It counts each model process's own start-up memory too ({formatBytes(memory.baselineBytes)} now).
          </p>
          <p className="hint" aria-label="Memory measure">
            Measured as {MEASURE_LABEL[memory.measure]}, every model process counted (warm spare and estimate inspector too);
            mapped model files hold {formatBytes(memory.fileTotalBytes)} more, which the system can reclaim
          </p>
        </div>
      )}
      <ResidencyPlanView sessionId={running} />
      <ul className="slot-list" aria-label="Seats">
        {mine.length > 0 && <li className="slot-group">This session</li>}
        {mine.map((slot) => (
          <SlotCard key={seatKey(slot)} slot={slot} budget={budget} blind={isBlindSeat(slot, sessions)} />
        ))}
        {lab.length > 0 && <li className="slot-group">Lab (loaded by hand)</li>}
        {lab.map((slot) => (
          <SlotCard key={seatKey(slot)} slot={slot} budget={budget} blind={false} />
        ))}
        {others.length > 0 && (
          <li className="slot-group muted">
            {others.length} seat{others.length === 1 ? "" : "s"} of {new Set(others.map((s) => s.sessionId)).size} other session(s)
          </li>
        )}
        <li>
          <DropZone
            label={validNewRole ? `Drop a model to load it as “${newRole}”` : "Name a new role, then drop a model here"}
            onModel={(m) => {
              if (!validNewRole) return;
              void requestSwap(null, newRole, m.ref, m.name);
              setNewRole("");
            }}
          >
            <NewRoleField role={newRole} valid={validNewRole} onRole={setNewRole} />
          </DropZone>
        </li>
      </ul>
      <BackendsSection />
    </section>
  );
}

function SlotCard({ slot, budget, blind }: { slot: SlotInfo; budget: number; blind: boolean }) {
  const speaking = useTimeline((s) => s.speaker === slot.role && s.sessionId === slot.sessionId);
  const roleHue = useRoleHue();
  const busy = slot.status === "loading" || slot.status === "swapping";
  const m = slot.metrics;
  const seat = { sessionId: slot.sessionId, role: slot.role };
  const fail = (e: unknown): void => useUi.getState().notify("error", e instanceof Error ? e.message : String(e));
  const unload = (): void => {
    rpc().call("slots.unload", seat).catch(fail);
  };
  const pin = (): void => {
    rpc().call("slots.pin", { ...seat, pinned: !slot.pinned }).catch(fail);
  };
  return (
    <li>
      <DropZone
        label={`Drop a model on ${slot.role} to hot-swap`}
        onModel={(model) => !blind && void requestSwap(slot.sessionId, slot.role, model.ref, model.name)}
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
            {slot.sessionPinned && <span className="muted small" title="Its session runs: no other session may evict it">in use</span>}
            {!blind && slot.model && (
              <button className="icon-btn" aria-pressed={slot.pinned} aria-label={`${slot.pinned ? "Unpin" : "Pin"} ${slot.role}`} title={slot.pinned ? "Pinned: never evicted or released" : "Pin: never evict or release"} onClick={pin}>
                {slot.pinned ? "★" : "☆"}
              </button>
            )}
            {!blind && slot.model && slot.status !== "parked" && (
              <button className="icon-btn" aria-label={`Unload ${slot.role}`} title="Unload" onClick={unload}>
                ×
              </button>
            )}
          </div>
          <div className="slot-model" title={slot.model?.path}>
            {blind ? "hidden until the vote" : slot.model ? modelNameText(slot.model) : <span className="muted">empty</span>}
            {!blind && slot.model && (
              <span className="muted small">
                {" "}
                {slot.model.quantization} · ctx {slot.contextSize}
                {slot.sharedWith.length > 0 && ` · ${sharedWithText(slot.sharedWith, slot.sessionId)}`}
              </span>
            )}
          </div>
          {!blind && slot.sessionId !== null && <SeatBackends sessionId={slot.sessionId} role={slot.role} />}
          {busy && (
            <div className="progress" role="progressbar" aria-label={`${slot.role} ${slot.status}`} aria-valuenow={Math.round((slot.progress ?? 0) * 100)}>
              <div style={{ width: `${Math.round((slot.progress ?? 0.05) * 100)}%` }} />
            </div>
          )}
          {slot.error && <p className="error-text">{slot.error}</p>}
          <MemoryBar label={`${slot.role} memory`} estimate={estimateTotalBytes(slot.memory.estimate)} measured={slot.memory.measuredBytes} budget={budget} />
          {slot.model && <p className="sr-only" data-testid="seat-estimate">estimate {estimateTotalText(slot.memory.estimate)}: {estimatePartsText(slot.memory.estimate)}</p>}
          <dl className="metrics">
            <div><dt>TTFT</dt><dd data-metric="ttft">{formatMs(m.ttftMs)}</dd></div>
            <div><dt>gen</dt><dd data-metric="tps">{formatRate(m.genTokensPerSec)}</dd></div>
            <div><dt>prompt</dt><dd>{formatRate(m.promptTokensPerSec)}</dd></div>
            <div><dt>tokens</dt><dd>{m.tokensSoFar}</dd></div>
            <div><dt>context</dt><dd>{slot.contextTokens}/{slot.contextSize}</dd></div>
            {slot.sequences.total > 1 && <div><dt>sequences</dt><dd data-metric="sequences">{slot.sequences.inUse}/{slot.sequences.total}</dd></div>}
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
