/**
 * The only thing the renderer gets from Electron: `window.conclave` with `send` and `onMessage`.
 * A CommonJS file because sandboxed preloads cannot be ES modules. No ipcRenderer, no channel
 * names, no Node objects cross the bridge: only plain frames in and out.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS: require is the only way in.
import electron = require("electron");
import type { IpcRendererEvent } from "electron";

const { contextBridge, ipcRenderer } = electron;

// Duplicated from ipc.ts on purpose: a sandboxed preload cannot require our other modules.
const RPC_TO_MAIN = "conclave:rpc";
const RPC_TO_RENDERER = "conclave:event";

contextBridge.exposeInMainWorld("conclave", {
  send(frame: unknown): void {
    ipcRenderer.send(RPC_TO_MAIN, frame);
  },
  onMessage(listener: (frame: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, frame: unknown): void => listener(frame);
    ipcRenderer.on(RPC_TO_RENDERER, handler);
    return () => {
      ipcRenderer.removeListener(RPC_TO_RENDERER, handler);
    };
  },
});
