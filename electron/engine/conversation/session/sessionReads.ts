/** Sessions' read side straight from the store, for the store-only engine (openEngineStore.ts). */
import type { SessionInfo } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { SessionReads } from "./SessionsService.js";

export function sessionReads(store: SessionStore): SessionReads {
  const mustGet = (id: string): SessionInfo => {
    const s = store.getSession(id);
    if (!s) throw new Error(`no session ${id} in ${store.file}`);
    return s;
  };
  return {
    list: async () => store.listSessions(),
    get: async (sessionId) => mustGet(sessionId),
    async messages(sessionId, offset, limit) {
      const page = store.listMessages(sessionId, { afterSeq: offset, limit });
      return { messages: page.messages, total: mustGet(sessionId).messageCount };
    },
    swaps: async (sessionId) => store.listSwaps(sessionId),
  };
}
