/**
 * A transport moves contract frames between the UI and the host. There are two: the Electron
 * preload bridge and the loopback WebSocket; {@link chooseTransport} picks one, once, at start-up.
 */

/** Connection state shown in the header. */
export type ConnectionState = "connecting" | "open" | "closed";

export interface Transport {
  /** Sends one request frame (a plain object; the transport serializes as it needs). */
  send(frame: object): void;
  /** Every frame the host sends, unparsed: the RPC client validates it. */
  onMessage(listener: (frame: unknown) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  readonly kind: "electron" | "websocket";
}

/** The minimal bridge the Electron preload exposes on `window.conclave`. */
export interface ConclaveBridge {
  send(frame: unknown): void;
  onMessage(listener: (frame: unknown) => void): () => void;
}

declare global {
  interface Window {
    conclave?: ConclaveBridge;
  }
}
