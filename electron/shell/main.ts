/**
 * Electron main process: creates the engine (the same `createEngine()` as `conclave serve` and
 * `conclave run`) in the app-data folder, serves the
 * renderer from disk over the IPC bridge, and on quit disposes the models and closes the database
 * before letting the app exit. Model runtimes run in `utilityProcess` children (utilityLauncher.ts).
 */
import { app, BrowserWindow } from "electron";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { RpcDispatcher } from "../host/dispatcher.js";
import type { Engine } from "../engine/Engine.js";
import { bridgeWindow } from "./ipc.js";
import { appPaths } from "./paths.js";
import { hardenContents, hardenSession } from "./security.js";
import { utilityProcessLauncher } from "./utilityLauncher.js";
import { createEngine } from "../engine/createEngine.js";
import { SafeStorageSecrets } from "./safeStorageSecrets.js";
// Pulls the CommonJS preload into the type-check (tsconfig includes only *.ts); erased at build.
import type {} from "./preload.cjs";

const RENDERER_INDEX = fileURLToPath(new URL("../../renderer/index.html", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./preload.cjs", import.meta.url));

let engine: Engine | null = null;
let dispatcher: RpcDispatcher | null = null;

async function createWindow(): Promise<void> {
  const paths = appPaths();
  // Backend API keys go to the OS keychain through safeStorage, never to the database.
  const secrets = new SafeStorageSecrets(join(paths.dataDir, "keys.bin.json"));
  engine ??= await createEngine({ ...paths, launcher: utilityProcessLauncher, secrets });
  dispatcher ??= new RpcDispatcher(engine);
  const appUrl = pathToFileURL(RENDERER_INDEX).toString();
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 980,
    minHeight: 640,
    title: "Conclave",
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  hardenContents(window.webContents, appUrl);
  const disconnect = bridgeWindow(window, dispatcher, appUrl);
  window.on("closed", disconnect);
  window.once("ready-to-show", () => window.show());
  await window.loadURL(appUrl);
}

// One instance: two would fight over the database and the models folder.
if (!app.requestSingleInstanceLock()) app.quit();

app.on("web-contents-created", (_event, contents) => {
  // Belt and braces for any contents we did not create ourselves (devtools excepted by Electron).
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
});

app.on("second-instance", () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

void app.whenReady().then(async () => {
  hardenSession();
  await createWindow();
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});

let disposed = false;
app.on("before-quit", (event) => {
  if (disposed || !engine) return;
  // Hold the quit until model processes are ended and the DB (WAL) is closed cleanly.
  event.preventDefault();
  disposed = true;
  dispatcher?.close();
  void engine
    .dispose()
    .catch((error: unknown) => console.error("conclave: dispose failed", error))
    .finally(() => app.quit());
});
