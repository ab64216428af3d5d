/**
 * The RPC dispatcher: the one place a request frame turns into a service call.
 *
 * Transport-agnostic on purpose: the WebSocket transport and the Electron IPC handler both feed it
 * untrusted objects and send back what it returns. Every request is parsed with the contract's zod
 * schema before a service sees it, and every result is parsed on the way out so the UI can rely on
 * the contract even when a service drifts.
 */
import {
  RpcRequestFrame,
  isRpcMethod,
  rpcMethods,
  type RpcEvent,
  type RpcMethod,
  type RpcParams,
  type RpcReplyFrame,
  type RpcResult,
} from "../../shared/rpc.js";
import { Emitter } from "../../shared/emitter.js";
import { MAX_INPUT_DEPTH, tooDeep } from "../../shared/inputDepth.js";
import { issueEntries } from "../../shared/strictObject.js";
import type { Engine } from "../engine/Engine.js";
import { redact } from "../engine/engineTools.js";

/** One implementation per contract method; the compiler refuses a missing one. */
export type RpcHandlers = { [M in RpcMethod]: (params: RpcParams<M>) => Promise<RpcResult<M>> };

/** Turns frames into service calls and fans engine/app events out to subscribers. */
export class RpcDispatcher {
  readonly #handlers: RpcHandlers;
  readonly #events = new Emitter<RpcEvent>();
  readonly #unsubscribe: Array<() => void> = [];

  /**
   * @param engine the engine to call.
   * @param options.exportUrl maps an export file name to a download URL (loopback host only).
   */
  constructor(engine: Engine, options: { exportUrl?: (fileName: string) => string } = {}) {
    this.#unsubscribe.push(engine.onEvent((event) => this.#emit(event)));
    const ok = { ok: true } as const;
    const s = engine;
    const seat = (p: { sessionId: string | null; role: string }) => ({ sessionId: p.sessionId, role: p.role });
    this.#handlers = {
      "slots.list": async () => s.slots.list(),
      "slots.assign": async (p) => s.slots.assign(seat(p), p.modelRef, p.options),
      "slots.unload": async (p) => (await s.slots.unload(seat(p)), ok),
      "slots.pin": async (p) => s.slots.pin(seat(p), p.pinned),
      "slots.predict": async (p) => s.slots.predict(seat(p), p.modelRef, p.contextSize),
      "library.estimate": async (p) => s.slots.estimate(p.ref),
      "slots.abort": async (p) => (await s.slots.abort(p.generationId), ok),
      "memory.report": async () => s.slots.memory(),
      "library.list": async () => s.library.list(),
      "library.addPath": async (p) => s.library.addPath(p.path),
      "library.download": async (p) => s.library.download(p.uri),
      "library.cancelDownload": async (p) => (await s.library.cancelDownload(p.downloadId), ok),
      "library.createDemoModel": async () => s.library.createDemoModel(),
      "library.remove": async (p) => (await s.library.remove(p.ref), ok),
      "sessions.list": async () => s.sessions.list(),
      "sessions.create": async (p) => s.sessions.create(p),
      "sessions.get": async (p) => s.sessions.get(p.sessionId),
      "sessions.messages": async (p) => s.sessions.messages(p.sessionId, p.offset, p.limit),
      "sessions.swaps": async (p) => s.sessions.swaps(p.sessionId),
      "sessions.control": async (p) => s.sessions.control(p.sessionId, p.action),
      "sessions.plan": async (p) => s.sessions.plan(p.sessionId),
      "sessions.preview": async (p) => s.sessions.preview(p.experiment),
      "sessions.metrics": async (p) => s.metrics.session(p.sessionId),
      "sessions.fork": async (p) => s.sessions.fork(p.sessionId, p.atSeq, p.experiment),
      "sessions.replay": async (p) => s.sessions.replay(p.sessionId),
      "sessions.lineage": async (p) => s.sessions.lineage(p.sessionId),
      "sessions.say": async (p) => s.sessions.say(p),
      "sessions.decide": async (p) => s.sessions.decide(p),
      "sessions.waiting": async (p) => s.sessions.waiting(p.sessionId),
      "export.run": async (p) => {
        // The client names a file, never a path (the schema allows only a plain name): the engine
        // writes it under its export folder, so a request cannot write elsewhere.
        const written = await s.export.save(p);
        return { ...written, url: options.exportUrl?.(p.fileName) ?? null };
      },
      "compare.run": async (p) => s.compare.run(p.prompt, p.modelRefs, p.sampling),
      "compare.vote": async (p) => s.compare.vote(p.compareId, p.winner),
      "compare.pending": async () => s.compare.pending(),
      "leaderboard.get": async (p) => s.arena.leaderboard(p.source),
      "messages.rate": async (p) => s.arena.rate(p),
      "messages.ratings": async (p) => s.arena.ratings(p.sessionId),
      "backends.list": async () => s.backends.list(),
      "backends.upsert": async (p) => s.backends.upsert(p),
      "backends.remove": async (p) => (await s.backends.remove(p.name), ok),
      "backends.setEnabled": async (p) => s.backends.setEnabled(p.name, p.enabled),
      "settings.get": async () => s.settings.get(),
      "settings.set": async (p) => s.settings.set(p),
      "search.sessions": async (p) => s.search.sessions(p),
      "evaluations.run": async (p) => s.evaluations.run(p.experiment),
      "evaluations.get": async (p) => s.evaluations.get(p.runId),
      "evaluations.list": async () => s.evaluations.list(),
      "evaluations.abort": async (p) => s.evaluations.abort(p.runId),
      "sessions.result": async (p) => s.evaluations.sessionResult(p.sessionId),
      "presets.expand": async (p) => s.presets.expand(p.experiment),
      "advice.get": async (p) => s.advice.advise(p),
      "solutions.use": async (p) => s.solutions.use(p.sessionId),
      "sessions.code": async (p) => s.code.session(p.sessionId),
    };
  }

  /** Subscribes to every event the UI should see; returns the unsubscribe function. */
  subscribe(listener: (event: RpcEvent) => void): () => void {
    return this.#events.on(listener);
  }

  /** Handles one untrusted request frame; never throws, always answers with a reply frame. */
  async handle(raw: unknown): Promise<RpcReplyFrame> {
    const frame = RpcRequestFrame.safeParse(raw);
    if (!frame.success) {
      const id = typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "number" ? raw.id : -1;
      return { kind: "reply", id, ok: false, error: { code: "bad-request", message: frame.error.message } };
    }
    const { id, method } = frame.data;
    if (!isRpcMethod(method)) {
      return { kind: "reply", id, ok: false, error: { code: "unknown-method", message: `unknown method "${method}"` } };
    }
    return this.#call(id, method, frame.data.params);
  }

  async #call<M extends RpcMethod>(id: number, method: M, rawParams: unknown): Promise<RpcReplyFrame> {
    const schema = rpcMethods[method];
    // Validators recurse: a value nested past any request's need is refused before one runs.
    const deep = tooDeep(rawParams);
    if (deep) return { kind: "reply", id, ok: false, error: { code: "invalid-params", message: `${method}: ${deep.join(".") || "params"}: nested more than ${MAX_INPUT_DEPTH} levels deep` } };
    const params = schema.params.safeParse(rawParams ?? {});
    if (!params.success) {
      const message = issueEntries(params.error).map((i) => `${i.path.map(String).join(".") || "params"}: ${i.message}`).join("; ");
      return { kind: "reply", id, ok: false, error: { code: "invalid-params", message: `${method}: ${message}` } };
    }
    let result: unknown;
    try {
      const handler = this.#handlers[method] as (p: unknown) => Promise<unknown>;
      result = await handler(params.data);
    } catch (error) {
      return { kind: "reply", id, ok: false, error: { code: "failed", message: errorMessage(error) } };
    }
    const checked = schema.result.safeParse(result);
    if (!checked.success) {
      return { kind: "reply", id, ok: false, error: { code: "invalid-result", message: `${method}: ${checked.error.message}` } };
    }
    return { kind: "reply", id, ok: true, result: checked.data };
  }

  #emit(event: RpcEvent): void {
    // One broken connection must not starve the others of events.
    this.#events.emit(event);
  }

  /** Stops listening to the engine (does not dispose it). */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#events.clear();
  }
}

function errorMessage(error: unknown): string {
  // Replies leave the engine: no key a service's error may quote goes with them.
  return redact(error instanceof Error ? error.message : String(error));
}
