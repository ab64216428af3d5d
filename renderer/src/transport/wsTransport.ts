/**
 * Transport over the loopback host's WebSocket, authenticated with the token from the page URL.
 * Reconnects with capped backoff so a host restart does not need a page reload; frames sent while
 * disconnected are queued and flushed on reconnect.
 */
import type { ConnectionState, Transport } from "./transport";

/** Opens `/rpc` on the page's own origin with the given token. */
export function wsTransport(token: string | null, origin: string = window.location.origin): Transport {
  const url = new URL("/rpc", origin.replace(/^http/, "ws"));
  if (token) url.searchParams.set("token", token);
  const messageListeners = new Set<(frame: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let delay = 250;
  let state: ConnectionState = "connecting";

  const setState = (next: ConnectionState): void => {
    state = next;
    for (const l of stateListeners) l(next);
  };

  const connect = (): void => {
    setState("connecting");
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = 250;
      setState("open");
      for (const text of queue.splice(0)) ws.send(text);
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      let frame: unknown;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      for (const l of messageListeners) l(frame);
    };
    ws.onclose = () => {
      socket = null;
      setState("closed");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();

  return {
    kind: "websocket",
    get state() {
      return state;
    },
    send(frame) {
      const text = JSON.stringify(frame);
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
