/**
 * The host's {@link SessionsService} over the committee runner: `create` starts a
 * {@link SessionRunner} in the background (the UI follows it through `onEvent`), `control` pauses,
 * resumes or aborts it, and everything else reads the store. Passed to `composeServices({ sessions })`
 * by `conclave serve`.
 *
 * Every turn runs through the host's backend pool, used directly as the runner's generator: the
 * runner passes its session id on each request (cost and budget per session) and stores the pool's
 * routing on each message. A budget comes from the experiment's `budget`.
 */
import path from "node:path";
import type { AppEvent } from "../../shared/rpc.js";
import { Experiment } from "../../shared/experiment.js";
import { experimentErrors, fieldPath } from "../../shared/experiment.js";
import { resolveModelPath } from "../engine/session/loadExperiment.js";
import { SessionRunner } from "../engine/session/SessionRunner.js";
import type { SessionParts } from "./composeServices.js";
import type { SessionsService } from "./services.js";

/** Builds the sessions service for `composeServices`; without a pool, turns run on the slot engine directly. */
export function runnerSessions({ slots, store, backends, budgets }: Pick<SessionParts, "slots" | "store"> & Partial<SessionParts>): SessionsService {
  const running = new Map<string, SessionRunner>();
  const listeners = new Set<(e: AppEvent) => void>();
  const emit = (e: AppEvent): void => {
    for (const l of listeners) l(e);
  };
  const mustGet = (id: string) => {
    const s = store.getSession(id);
    if (!s) throw new Error(`no session ${id}`);
    return s;
  };
  return {
    list: async () => store.listSessions(),
    async create(request) {
      const parsed = Experiment.safeParse(request);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join("; "));
      const crossErrors = experimentErrors(parsed.data);
      if (crossErrors.length > 0) throw new Error(crossErrors.map((i) => `${i.path}: ${i.message}`).join("; "));
      const cwd = process.cwd();
      const experiment = { ...parsed.data, roles: parsed.data.roles.map((r) => ({ ...r, model: resolveModelPath(r.model, path.resolve(cwd)) })) };
      const runner = new SessionRunner({ experiment, store, host: slots, ...(backends ? { generator: backends } : {}) });
      if (experiment.budget) {
        if (!budgets) throw new Error("this host tracks no session budgets");
        budgets.setLimit(runner.sessionId, { limit: experiment.budget.usd, ...(experiment.budget.switchAt !== undefined ? { switchAt: experiment.budget.switchAt } : {}) });
      }
      running.set(runner.sessionId, runner);
      runner.onEvent((e) => {
        if (e.type === "message") emit({ type: "message", message: e.message });
        else if (e.type === "status") emit({ type: "session", session: e.session });
        else if (e.type === "speaker") emit({ type: "speaker", sessionId: e.sessionId, role: e.role, generationId: e.generationId });
      });
      void runner.run().finally(() => running.delete(runner.sessionId));
      return mustGet(runner.sessionId);
    },
    get: async (id) => mustGet(id),
    async messages(id, offset, limit) {
      const page = store.listMessages(id, { afterSeq: offset, limit });
      return { messages: page.messages, total: mustGet(id).messageCount };
    },
    swaps: async (id) => store.listSwaps(id),
    async control(id, action) {
      const runner = running.get(id);
      if (!runner) throw new Error(`session ${id} is not running in this process`);
      if (action === "pause") runner.pause();
      else if (action === "resume") runner.resume();
      else runner.abort("aborted from the UI");
      return mustGet(id);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
