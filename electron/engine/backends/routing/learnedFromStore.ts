/**
 * Seeds the pool's learned weights from the sessions recorded before this engine opened: each
 * message's backend (its `routing`), speed and the votes it received. Sessions of this process are
 * left out, because the pool records their turns as they happen.
 */
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { LearnedSource } from "./namedPolicy.js";
import { LearnedWeights } from "./learned.js";

/** Weights fed live by the pool, seeded once (on first use) from the newest `sessions` stored before `openedAt`. */
export function learnedFromStore(store: Pick<SessionStore, "listSessions" | "listMessages" | "listVotes">, openedAt = Date.now(), sessions = 50): LearnedSource {
  const weights = new LearnedWeights();
  let seeded = false;
  return {
    weights,
    seed() {
      if (seeded) return;
      seeded = true;
      for (const s of store.listSessions({ limit: sessions })) {
        if (s.createdAt < openedAt) weights.learnFromSession([...allMessages(store, s.id)], store.listVotes(s.id));
      }
    },
  };
}
