/**
 * The Electron IPC transport for the RPC contract: one channel each way, carrying the same frames
 * the WebSocket carries. Every incoming message is checked to come from our window's main frame
 * showing our own page before the dispatcher (which validates the frame itself) sees it.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from "electron";
import type { RpcDispatcher } from "../host/dispatcher.js";

/** Channel names; the preload uses the same strings. */
export const RPC_TO_MAIN = "conclave:rpc";
export const RPC_TO_RENDERER = "conclave:event";

/** Connects a window to the dispatcher; returns the function that disconnects it. */
export function bridgeWindow(window: BrowserWindow, dispatcher: RpcDispatcher, appUrl: string): () => void {
  const contents = window.webContents;
  const trusted = (event: IpcMainEvent): boolean =>
    event.sender === contents &&
    event.senderFrame !== null &&
    event.senderFrame === contents.mainFrame &&
    event.senderFrame.url === appUrl;

  const onRequest = (event: IpcMainEvent, frame: unknown): void => {
    if (!trusted(event)) return; // Silently: an untrusted sender learns nothing.
    void dispatcher.handle(frame).then((reply) => {
      if (!contents.isDestroyed()) contents.send(RPC_TO_RENDERER, reply);
    });
  };
  ipcMain.on(RPC_TO_MAIN, onRequest);
  const unsubscribe = dispatcher.subscribe((event) => {
    if (!contents.isDestroyed()) contents.send(RPC_TO_RENDERER, { kind: "event", event });
  });
  return () => {
    ipcMain.removeListener(RPC_TO_MAIN, onRequest);
    unsubscribe();
  };
}
