/**
 * Routes host events into the stores. Token events are coalesced per animation frame: a model can
 * emit hundreds of tokens a second, and re-rendering the timeline for each would make the UI lag
 * behind the models it is watching.
 */
import { modelNameText } from "../../../shared/names.js";
import { swapCostText } from "./swapPlacement";
import type { RpcEvent } from "../../../shared/rpc.js";
import { rpc } from "../transport/rpcClient";
import { sessionRoles } from "./sessionRoles";
import { useCompare } from "../stores/compareStore";
import { useEvaluations } from "../stores/evaluationsStore";
import { useConnection } from "../stores/connectionStore";
import { useLibrary } from "../stores/libraryStore";
import { useLineage } from "../stores/lineageStore";
import { useMetrics } from "../stores/metricsStore";
import { useSessions } from "../stores/sessionsStore";
import { isBlindSeat, useSlots } from "../stores/slotsStore";
import { useTimeline } from "../stores/timelineStore";
import { useUi } from "../stores/uiStore";
import { useHuman } from "../stores/humanStore";

let memoryTimer: ReturnType<typeof setTimeout> | null = null;

/** Slot changes move the totals: refresh the memory report, at most every 500 ms. */
function scheduleMemoryRefresh(): void {
  memoryTimer ??= setTimeout(() => {
    memoryTimer = null;
    void rpc()
      .call("memory.report", {})
      .then((r) => useSlots.getState().setMemory(r))
      .catch(() => undefined);
  }, 500);
}

let pendingTokens: Array<{ generationId: string; role: string; text: string; thought?: boolean }> = [];
let frame = 0;

function flushTokens(): void {
  frame = 0;
  const chunks = pendingTokens;
  pendingTokens = [];
  if (chunks.length > 0) useTimeline.getState().appendTokens(chunks);
}

function route(event: RpcEvent): void {
  switch (event.type) {
    case "slot":
      useSlots.getState().upsert(event.slot);
      if (event.slot.status !== "generating") scheduleMemoryRefresh();
      return;
    case "slot-removed":
      useSlots.getState().remove(event.sessionId, event.role);
      scheduleMemoryRefresh();
      return;
    case "memory":
      useSlots.getState().setMemory(event.report);
      // The engine samples memory for running sessions; a report means a new point may be stored.
      pokeMetrics(useTimeline.getState().sessionId);
      return;
    case "token": {
      // Only the seats of the session on screen type into the timeline (compare runs have their own stream).
      if (event.sessionId === null || event.sessionId !== useTimeline.getState().sessionId) return;
      const session = useSessions.getState().sessions.find((s) => s.id === event.sessionId);
      if (!session || session.protocolKind === "compare" || !sessionRoles(session).some((r) => r.name === event.role)) return;
      pendingTokens.push({ generationId: event.generationId, role: event.role, text: event.text, ...(event.thought ? { thought: true } : {}) });
      frame ||= requestAnimationFrame(flushTokens);
      return;
    }
    case "swap": {
      const e = event.event;
      if (event.sessionId !== null) pokeMetrics(event.sessionId);
      if (e.kind !== "manual" && e.kind !== "scheduled") return;
      if (event.sessionId !== null && event.sessionId === useTimeline.getState().sessionId) useTimeline.getState().addSwap(e);
      if (!isBlindSeat(event, useSessions.getState().sessions)) {
        useUi.getState().notify(
          e.outcome === "ok" ? "ok" : "error",
          e.outcome === "ok"
            ? `${e.role} → ${modelNameText(e.to)}: ${swapCostText(e)}`
            : `Swap of ${e.role} failed: ${e.error ?? e.outcome}`,
        );
      }
      return;
    }
    case "swap-gap":
      return;
    case "fault":
      useUi.getState().notify("error", event.fault.action === "reloaded" ? `${event.fault.role}'s model process died; reloaded with its history` : `${event.fault.role}'s model process died again; the session failed`);
      return;
    case "progress":
      if (event.sessionId === useTimeline.getState().sessionId) useTimeline.getState().setProgress(event.text);
      return;
    case "process-exit":
      if (event.code !== 0) useUi.getState().notify("error", `Model process ${event.pid} exited (${event.signal ?? event.code}); seats: ${event.seats.map((s) => s.role).join(", ")}`);
      return;
    case "session":
      useSessions.getState().upsert(event.session);
      useLineage.getState().sessionChanged(event.session);
      pokeMetrics(event.session.id);
      return;
    case "message":
      flushTokens();
      useTimeline.getState().addMessage(event.message);
      useSessions.getState().messageAdded(event.message.sessionId, event.message.seq);
      pokeMetrics(event.message.sessionId);
      return;
    case "speaker":
      if (event.sessionId === useTimeline.getState().sessionId) useTimeline.getState().setSpeaker(event.role, event.generationId);
      return;
    case "download":
      useLibrary.getState().updateDownload(event.download);
      return;
    case "library":
      void useLibrary.getState().refresh();
      return;
    case "compare":
      useCompare.getState().apply(event.run);
      return;
    case "compare-token":
      useCompare.getState().appendToken(event.compareId, event.label, event.text);
      return;
    case "evaluation":
      useEvaluations.getState().apply(event.run);
      return;
    case "waiting":
      useHuman.getState().set(event.sessionId, event.wait);
      return;
  }
}

function pokeMetrics(sessionId: string | null): void {
  if (sessionId) useMetrics.getState().poke(sessionId);
}

/** Connects the client to the stores and loads the initial state; call once at start-up. */
export function startSync(): void {
  const client = rpc();
  useConnection.getState().set({ kind: client.transport.kind, state: client.transport.state });
  client.onEvent(route);
  const loadAll = (): void => {
    const fail = (error: unknown): void => useConnection.getState().set({ lastError: error instanceof Error ? error.message : String(error) });
    void useSlots.getState().refresh().catch(fail);
    void useLibrary.getState().refresh();
    void useSessions.getState().refresh().catch(fail);
    void useEvaluations.getState().refresh();
    void useCompare.getState().restore();
  };
  client.onState((state) => {
    useConnection.getState().set({ state });
    // After a reconnect the host may have moved on: reload rather than trust stale state.
    if (state === "open") loadAll();
  });
  if (client.transport.state === "open") loadAll();
}
