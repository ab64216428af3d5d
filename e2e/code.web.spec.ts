/**
 * A code committee from the UI, in Chromium over the loopback host: import the refactor example,
 * replace its on-disk attachments by the component and its tsconfig dragged into the editor, start
 * the session, and read the "Files" panel beside the timeline — the attachments as the committee
 * saw them and the sandboxed `tsc` check with its evidence (the tiny model writes no code, so the
 * original's strict-mode errors fail it). Screenshot to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const EXAMPLE = fileURLToPath(new URL("../examples/refactor-component/experiment.json", import.meta.url));
const COMPONENT = readFileSync(new URL("../examples/refactor-component/src/OrderTable.tsx", import.meta.url), "utf8");
const TSCONFIG = readFileSync(new URL("../examples/refactor-component/tsconfig.json", import.meta.url), "utf8");

const host = hostPerFile();

test("drag a component into the editor, run the committee, read the sandboxed tsc check beside the timeline", async ({ page }) => {
  test.skip(process.platform !== "linux", "the bubblewrap sandbox is Linux's");
  test.setTimeout(480_000);
  await openApp(page, host());
  const editor = await openEditor(page);
  await editor.getByLabel("Import experiment").setInputFiles(EXAMPLE);
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue("Refactor OrderTable.tsx");
  for (let role = 1; role <= 4; role++) {
    const model = editor.getByLabel(`Role ${role} model`, { exact: true });
    if ((await model.inputValue()) === "__typed__") await model.selectOption({ index: 0 });
  }

  // The file's on-disk attachments give way to files dropped in the editor.
  const code = editor.getByRole("region", { name: "Code: attachments & command check" });
  await expect(code.getByLabel("Check command")).toHaveValue("tsc -p .");
  await code.getByRole("button", { name: "Remove src/OrderTable.tsx" }).click();
  await code.getByRole("button", { name: "Remove tsconfig.json" }).click();
  const drop = await page.evaluateHandle(
    ([component, tsconfig]) => {
      // The page's DOM classes (the e2e project is typed for Node).
      const dom = globalThis as unknown as { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: string[], name: string, options: { type: string }) => unknown };
      const dt = new dom.DataTransfer();
      dt.items.add(new dom.File([component!], "OrderTable.tsx", { type: "text/plain" }));
      dt.items.add(new dom.File([tsconfig!], "tsconfig.json", { type: "application/json" }));
      return dt;
    },
    [COMPONENT, TSCONFIG],
  );
  await code.getByTestId("attachment-dropzone").dispatchEvent("drop", { dataTransfer: drop });
  await expect(code.getByLabel("Attachment 1 path")).toHaveValue("OrderTable.tsx");
  // tsconfig includes src/: the dropped component goes there.
  await code.getByLabel("Attachment 1 path").fill("src/OrderTable.tsx");
  await expect(code.getByLabel("Attachment 2 path")).toHaveValue("tsconfig.json");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await code.screenshot({ path: `${ARTIFACTS}code-attachments.png` });
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 420_000 });
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(timeline.getByRole("article", { name: /^Message \d+ from / }).last()).toBeVisible();

  const files = page.getByRole("region", { name: "Files" });
  await files.getByRole("tab", { name: /^Attachments/ }).click();
  await expect(files.getByRole("list", { name: "Attached files" })).toContainText("src/OrderTable.tsx");
  await expect(files.getByLabel("Contents of src/OrderTable.tsx")).toContainText("export function OrderTable");
  await files.getByRole("tab", { name: /^Checks/ }).click();
  const checks = files.getByRole("list", { name: "Command checks" });
  await expect(checks).toContainText("failed: exit 2");
  await expect(checks).toContainText("sandbox bubblewrap");
  await expect(checks.getByLabel("stdout")).toContainText("error TS7006");
  await page.screenshot({ path: `${ARTIFACTS}code-files-panel.png` });
});
