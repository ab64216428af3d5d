/**
 * Routes host events into the stores. Token events are coalesced per animation frame: a model can
 * emit hundreds of tokens a second, and re-rendering the timeline for each would make the UI lag
 * behind the models it is watching.
 */
import type { RpcEvent } from "../../../shared/rpc.js";
import { rpc } from "../transport/rpcClient";
import { sessionRoles } from "./sessionRoles";
import { useCompare } from "../stores/compareStore";
import { useConnection } from "../stores/connectionStore";
import { useLibrary } from "../stores/libraryStore";
import { useMetrics } from "../stores/metricsStore";
import { useSessions } from "../stores/sessionsStore";
import { isCompareRole, useSlots } from "../stores/slotsStore";
import { useTimeline } from "../stores/timelineStore";
import { useUi } from "../stores/uiStore";

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

let pendingTokens: Array<{ generationId: string; role: string; text: string }> = [];
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
      useSlots.getState().remove(event.role);
      scheduleMemoryRefresh();
      return;
    case "memory":
      useSlots.getState().setMemory(event.report);
      // The engine samples memory for running sessions; a report means a new point may be stored.
      pokeMetrics(useTimeline.getState().sessionId);
      return;
    case "token": {
      // Compare columns have their own stream; only session roles type into the timeline.
      if (isCompareRole(event.role)) return;
      const session = useSessions.getState().sessions.find((s) => s.id === useTimeline.getState().sessionId);
      if (!sessionRoles(session ?? null).some((r) => r.name === event.role)) return;
      pendingTokens.push({ generationId: event.generationId, role: event.role, text: event.text });
      frame ||= requestAnimationFrame(flushTokens);
      return;
    }
    case "swap":
      useTimeline.getState().addSwap(event.event);
      pokeMetrics(useTimeline.getState().sessionId);
      if (!isCompareRole(event.event.role)) {
        const e = event.event;
        useUi.getState().notify(
          e.outcome === "ok" ? "ok" : "error",
          e.outcome === "ok"
            ? `${e.role} → ${e.to.name} in ${Math.round(e.unloadMs + e.loadMs + e.prefillMs)} ms`
            : `Swap of ${e.role} failed: ${e.error ?? e.outcome}`,
        );
      }
      return;
    case "process-exit":
      if (event.code !== 0) useUi.getState().notify("error", `Model process ${event.pid} exited (${event.signal ?? event.code}); roles: ${event.roles.join(", ")}`);
      return;
    case "session":
      useSessions.getState().upsert(event.session);
      pokeMetrics(event.session.id);
      return;
    case "message":
      flushTokens();
      useTimeline.getState().addMessage(event.message);
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
  };
  client.onState((state) => {
    useConnection.getState().set({ state });
    // After a reconnect the host may have moved on: reload rather than trust stale state.
    if (state === "open") loadAll();
  });
  if (client.transport.state === "open") loadAll();
}
