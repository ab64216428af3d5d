/**
 * Test support: binds a {@link BackendPool} to one session without changing the session runner: a store whose
 * `createSession` tells the pool which session's cost and budget the turns count against, and whose
 * `appendMessage` fills a model message's `routing` with where the pool ran that role's latest turn
 * (fallbacks and budget switches included); and a generator that passes the session on. A routing
 * the router protocol set already (backend `pool`, reason "Router: …") keeps its reason and gains the
 * real backend.
 */
import type { TurnGenerator, TurnRequest, TurnResult } from "../../conversation/bus/TurnGenerator.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { BackendPool } from "../BackendPool.js";

export interface PoolSession {
  /** Pass as the session runner's `store`. */
  store: SessionStore;
  /** Pass as the session runner's `generator`. */
  generator: TurnGenerator;
  /** The session id once the runner created it. */
  sessionId(): string | null;
}

export function bindPoolToSession(store: SessionStore, pool: BackendPool): PoolSession {
  let sessionId: string | null = null;
  const createSession: SessionStore["createSession"] = (input) => {
    const session = store.createSession(input);
    sessionId = session.id;
    return session;
  };
  const appendMessage: SessionStore["appendMessage"] = (draft) => {
    if (!draft.provenance) return store.appendMessage(draft);
    const actual = pool.takeRouting(draft.from);
    if (!actual) return store.appendMessage(draft);
    const given = draft.routing ?? null;
    const routing =
      given === null ? actual : given.backend === pool.backend ? { backend: actual.backend, reason: `${given.reason}; ${actual.reason}` } : given;
    return store.appendMessage({ ...draft, routing });
  };
  const bound = new Proxy(store, {
    get(target, prop) {
      if (prop === "appendMessage") return appendMessage;
      if (prop === "createSession") return createSession;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const generator: TurnGenerator = {
    backend: pool.backend,
    get supportsGrammar() {
      return pool.supportsGrammar;
    },
    generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
      return pool.generateTurn(role, { ...request, ...(sessionId !== null ? { sessionId } : {}) });
    },
  };
  return { store: bound, generator, sessionId: () => sessionId };
}
