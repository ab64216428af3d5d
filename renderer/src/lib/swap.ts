/**
 * The load/hot-swap flow shared by drag-and-drop and its keyboard alternative: predict first,
 * show the confirmation, then act on confirm.
 */
import { rpc } from "../transport/rpcClient";
import { useUi } from "../stores/uiStore";

/** MIME type a library model carries while dragged. */
export const MODEL_DRAG_TYPE = "application/x-conclave-model";

export interface DraggedModel {
  ref: string;
  name: string;
}

/** Opens the confirmation for putting `modelRef` in the seat (session, role) and fetches its prediction. */
export async function requestSwap(sessionId: string | null, role: string, modelRef: string, modelName: string): Promise<void> {
  const ui = useUi.getState();
  ui.open({ kind: "swap", sessionId, role, modelRef, modelName, prediction: null, error: null });
  try {
    const prediction = await rpc().call("slots.predict", { sessionId, role, modelRef });
    const d = useUi.getState().dialog;
    if (d?.kind === "swap" && d.sessionId === sessionId && d.role === role && d.modelRef === modelRef) useUi.getState().open({ ...d, prediction });
  } catch (error) {
    const d = useUi.getState().dialog;
    if (d?.kind === "swap") useUi.getState().open({ ...d, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Carries out a confirmed load or swap: the engine decides which from the seat's actual state (the
 * cached one may be stale). Progress and the seat's new state arrive through slot events.
 */
export async function confirmSwap(sessionId: string | null, role: string, modelRef: string): Promise<void> {
  const ui = useUi.getState();
  ui.close();
  try {
    const event = await rpc().call("slots.assign", { sessionId, role, modelRef });
    if (event.kind === "load") ui.notify("ok", `${role} loaded ${event.to.name}`);
  } catch (error) {
    ui.notify("error", error instanceof Error ? error.message : String(error));
  }
}

/** Reads a dragged model from a drop event, or null if the drag carries something else. */
export function readDraggedModel(data: DataTransfer): DraggedModel | null {
  const raw = data.getData(MODEL_DRAG_TYPE);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && "ref" in parsed && "name" in parsed) {
      return { ref: String(parsed.ref), name: String(parsed.name) };
    }
  } catch {
    // Not ours.
  }
  return null;
}
