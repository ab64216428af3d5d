/**
 * The load/hot-swap flow shared by drag-and-drop and its keyboard alternative: predict first,
 * show the confirmation, then act on confirm.
 */
import { rpc } from "../transport/rpcClient";
import { useSlots } from "../stores/slotsStore";
import { seatKey } from "../../../shared/slots.js";
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

/** Carries out a confirmed load or swap; progress arrives through slot events. */
export async function confirmSwap(sessionId: string | null, role: string, modelRef: string): Promise<void> {
  const ui = useUi.getState();
  ui.close();
  const hasModel = useSlots.getState().slots[seatKey({ sessionId, role })]?.model != null;
  try {
    if (hasModel) await rpc().call("slots.hotSwap", { sessionId, role, modelRef });
    else {
      const slot = await rpc().call("slots.load", { sessionId, role, modelRef });
      useSlots.getState().upsert(slot);
      ui.notify("ok", `${role} loaded ${slot.model?.name ?? modelRef}`);
    }
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
