/**
 * Carries the RPC contract over WebSocket: JSON request frames in, reply and event frames out.
 *
 * Each connection subscribes to the dispatcher's events for its lifetime. A slow client is not
 * allowed to grow the host's memory without bound: past a buffered-bytes limit, token events are
 * dropped for that client (final messages still arrive, so the UI only loses the live typing).
 */
import type { WebSocket } from "ws";
import type { RpcDispatcher } from "./dispatcher.js";

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Wires one open socket to the dispatcher until it closes. */
export function attachConnection(socket: WebSocket, dispatcher: RpcDispatcher): void {
  const unsubscribe = dispatcher.subscribe((event) => {
    if (socket.readyState !== socket.OPEN) return;
    const droppable = event.type === "token" || event.type === "compare-token";
    if (droppable && socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    socket.send(JSON.stringify({ kind: "event", event }));
  });
  socket.on("message", (data, isBinary) => {
    if (isBinary) return;
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      socket.send(JSON.stringify({ kind: "reply", id: -1, ok: false, error: { code: "bad-request", message: "frame is not JSON" } }));
      return;
    }
    // The dispatcher answers every frame itself; this catch only keeps a surprise from becoming an
    // unhandled rejection, which would end the host.
    void dispatcher
      .handle(frame)
      .then((reply) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      })
      .catch(() => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ kind: "reply", id: -1, ok: false, error: { code: "failed", message: "the request could not be answered" } }));
      });
  });
  socket.on("close", unsubscribe);
  socket.on("error", unsubscribe);
}
