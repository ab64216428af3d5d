/** What each running session waits for from the researcher, and the calls that answer it. */
import { create } from "zustand";
import type { DecideRequest, HumanWait, SayRequest } from "../../../shared/human.js";
import { rpc } from "../transport/rpcClient";

interface HumanStore {
  waits: Record<string, HumanWait | null>;
  set(sessionId: string, wait: HumanWait | null): void;
  /** Reads the wait of a session (on opening it: the event may have come before the UI did). */
  load(sessionId: string): Promise<void>;
  say(request: SayRequest): Promise<void>;
  decide(request: DecideRequest): Promise<void>;
}

export const useHuman = create<HumanStore>()((set) => ({
  waits: {},
  set: (sessionId, wait) => set((s) => ({ waits: { ...s.waits, [sessionId]: wait } })),
  async load(sessionId) {
    const wait = await rpc().call("sessions.waiting", { sessionId });
    set((s) => ({ waits: { ...s.waits, [sessionId]: wait } }));
  },
  async say(request) {
    await rpc().call("sessions.say", request);
  },
  async decide(request) {
    await rpc().call("sessions.decide", request);
  },
}));
