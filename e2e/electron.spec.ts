/**
 * The desktop shell e2e: the same committee scenario as the web project (e2e/scenario.ts), driven
 * through Playwright's Electron support in the real app window, on a throwaway data folder with the
 * real test model. It runs where Electron's binary is installed (the researchers' Macs:
 * `npx playwright test --project=electron`); elsewhere it is skipped with the reason.
 *
 * The binary is found the way `npm start` finds it, from node_modules/electron/path.txt, and never
 * by importing the `electron` package, whose entry point would try to download the binary.
 */
import { _electron as electron, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedModel, realTestModel } from "../models/test/testModels.js";
import { committeeScenario } from "./scenario.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

/** The Electron executable, or null when it was never downloaded on this machine. */
function electronBinary(): string | null {
  const dir = join(ROOT, "node_modules", "electron");
  const pathFile = join(dir, "path.txt");
  if (!existsSync(pathFile)) return null;
  const name = readFileSync(pathFile, "utf8").trim();
  const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, "dist"), name);
  return existsSync(p) ? p : null;
}

const binary = electronBinary();
test.skip(binary === null, "Electron's binary is not installed here (node_modules/electron/path.txt is missing: its download cannot run on this machine); run on a Mac with `npx playwright test --project=electron`.");

test("committee, drag hot-swap, compare, export in the desktop shell", async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The app runs from the compiled output, as `npm start` does.
  if (!existsSync(join(ROOT, "dist", "electron", "shell", "main.js")) || !existsSync(join(ROOT, "dist", "renderer", "index.html"))) {
    const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error(`npm run build failed (${built.status})`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), "conclave-electron-e2e-"));
  // The real model first (the editor's roles start on the first library model), the generated one to swap to second.
  await mkdir(join(dataDir, "models"), { recursive: true });
  const real = await realTestModel();
  const generated = await generatedModel("tiny-chat");
  await copyFile(real, join(dataDir, "models", `1-${basename(real)}`));
  await copyFile(generated, join(dataDir, "models", `2-${basename(generated)}`));
  const app = await electron.launch({
    executablePath: binary ?? "",
    args: [ROOT],
    cwd: ROOT,
    env: { ...process.env, CONCLAVE_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    await committeeScenario(page, { artifacts: ARTIFACTS, prefix: "electron-", downloads: false });
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
