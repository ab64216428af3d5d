/** Which view and dialogs are open, plus transient notices. */
import { create } from "zustand";
import type { SwapPrediction } from "../../../shared/rpc.js";

export type View = "lab" | "metrics" | "compare" | "leaderboard";
export type Dialog =
  /**
   * The experiment editor on the draft in the draft store; `source` says where the draft came from.
   * With `fork`, submitting forks that session at that message under the draft instead of starting anew.
   */
  | { kind: "experiment"; source?: string; fork?: ForkTarget }
  | { kind: "export" }
  /** `backend` opens the backend form on that backend (blank: a new one). */
  | { kind: "settings"; backend?: string }
  | { kind: "swap"; sessionId: string | null; role: string; modelRef: string; modelName: string; prediction: SwapPrediction | null; error: string | null }
  | { kind: "assign"; modelRef: string; modelName: string };

/** A session and the message a fork is taken at. */
export interface ForkTarget {
  sessionId: string;
  atSeq: number;
}

export interface Notice {
  id: number;
  tone: "info" | "error" | "ok";
  text: string;
}

interface UiStore {
  view: View;
  dialog: Dialog | null;
  notices: Notice[];
  setView(view: View): void;
  open(dialog: Dialog): void;
  close(): void;
  notify(tone: Notice["tone"], text: string): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useUi = create<UiStore>()((set, get) => ({
  view: "lab",
  dialog: null,
  notices: [],
  setView: (view) => set({ view }),
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
  notify(tone, text) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-3), { id, tone, text }] }));
    setTimeout(() => get().dismiss(id), tone === "error" ? 9000 : 5000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
