/**
 * The typed RPC client: `call(method, params)` with results parsed by the shared contract, and a
 * stream of validated events. Frames that fail validation are dropped with a console warning so a
 * single malformed event cannot break the UI.
 */
import {
  RpcEvent,
  RpcReplyFrame,
  rpcMethods,
  type RpcMethod,
  type RpcParamsInput,
  type RpcResult,
} from "../../../shared/rpc.js";
import type { ConnectionState, Transport } from "./transport";
import { electronTransport } from "./electronTransport";
import { wsTransport } from "./wsTransport";

/** An error the host answered with; `code` is the contract's error code. */
export class RpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RpcCallError";
  }
}

interface Pending {
  method: RpcMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class RpcClient {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #eventListeners = new Set<(event: RpcEvent) => void>();

  constructor(readonly transport: Transport) {
    transport.onMessage((frame) => this.#receive(frame));
  }

  /** Calls a contract method; resolves with the parsed result or rejects with {@link RpcCallError}. */
  call<M extends RpcMethod>(method: M, params: RpcParamsInput<M>): Promise<RpcResult<M>> {
    const id = this.#nextId++;
    return new Promise<RpcResult<M>>((resolve, reject) => {
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.transport.send({ kind: "request", id, method, params });
    });
  }

  onEvent(listener: (event: RpcEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onState(listener);
  }

  #receive(raw: unknown): void {
    if (typeof raw !== "object" || raw === null || !("kind" in raw)) return;
    if (raw.kind === "event" && "event" in raw) {
      const parsed = RpcEvent.safeParse(raw.event);
      if (!parsed.success) {
        console.warn("conclave: dropped malformed event", parsed.error.message);
        return;
      }
      for (const l of this.#eventListeners) l(parsed.data);
      return;
    }
    const reply = RpcReplyFrame.safeParse(raw);
    if (!reply.success) return;
    const pending = this.#pending.get(reply.data.id);
    if (!pending) return;
    this.#pending.delete(reply.data.id);
    if (!reply.data.ok) {
      pending.reject(new RpcCallError(reply.data.error.code, reply.data.error.message));
      return;
    }
    const result = rpcMethods[pending.method].result.safeParse(reply.data.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new RpcCallError("invalid-result", result.error.message));
  }
}

/**
 * Picks the transport once: the Electron bridge when the preload exposed one, otherwise the
 * loopback WebSocket with the token from the page URL.
 */
export function chooseTransport(): Transport {
  if (window.conclave) return electronTransport(window.conclave);
  const token = new URLSearchParams(window.location.search).get("token");
  return wsTransport(token);
}

/** The app's single client, created on first use. */
let client: RpcClient | null = null;
export function rpc(): RpcClient {
  client ??= new RpcClient(chooseTransport());
  return client;
}
