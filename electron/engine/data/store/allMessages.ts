import type { Message } from "../../../../shared/conversation.js";
import type { SessionStore } from "./sessionStore.js";

/** Every message of a session in `seq` order, read page by page (a page is at most 5,000). */
export function* allMessages(store: Pick<SessionStore, "listMessages">, sessionId: string): Generator<Message> {
  let afterSeq: number | null = 0;
  while (afterSeq !== null) {
    const page = store.listMessages(sessionId, { afterSeq, limit: 5000 });
    yield* page.messages;
    afterSeq = page.nextAfterSeq;
  }
}
