/** Transport over the Electron preload bridge: IPC is always "open" while the window lives. */
import type { ConclaveBridge, ConnectionState, Transport } from "./transport";

/** Wraps `window.conclave`; frames cross the bridge as structured clones, not JSON text. */
export function electronTransport(bridge: ConclaveBridge): Transport {
  return {
    kind: "electron",
    state: "open",
    send: (frame) => bridge.send(frame),
    onMessage: (listener) => bridge.onMessage(listener),
    onState: (_listener: (state: ConnectionState) => void) => () => undefined,
  };
}
