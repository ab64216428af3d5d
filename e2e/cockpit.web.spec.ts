/**
 * The researcher's cockpit on the real model, in Chromium over the loopback host: import an example
 * experiment file into the editor and run it (scheduled swap included), validate inline, see the
 * "Metrics" charts of that session with data, open it again with "Edit and run", export it as JSON
 * and YAML, and run the downloaded file unchanged with `conclave run`. Screenshots of the editor and
 * the metrics go to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = join(ROOT, "examples", "stories-swap.json");
const TITLE = "Stories committee with a mid-run swap";

const host = hostPerFile();

test("import an experiment and run it, see its metrics, export it and run the file with conclave run", async ({ page }) => {
  await openApp(page, host());

  // 1. Import the example file: relative model paths are matched to library models by file name.
  const editor = await openEditor(page);
  await editor.getByLabel("Import experiment").setInputFiles(EXAMPLE);
  await expect(editor.getByRole("list", { name: "Import notes" })).toContainText("Imported stories-swap.json");
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
  await expect(editor.getByRole("combobox", { name: "Protocol kind" })).toHaveValue("roundtable");
  await expect(editor.getByLabel("Swap 1 model reference")).toHaveValue("generated:tiny-chat");
  for (const role of [1, 2]) {
    // Where this machine lacks the shared model, the researcher points the role at a library model.
    const model = editor.getByLabel(`Role ${role} model`, { exact: true });
    if ((await model.inputValue()) === "__typed__") await model.selectOption({ index: 0 });
  }

  // 2. Inline validation: the field path and the reason next to the field; no start while invalid.
  const teller = editor.getByRole("group", { name: "Role 1 teller" });
  await teller.getByLabel("Temperature", { exact: true }).fill("9");
  await expect(teller.getByText(/^roles\[0\]\.temperature: /)).toBeVisible();
  await expect(editor.getByRole("button", { name: "Start session" })).toBeDisabled();
  await teller.getByLabel("Temperature", { exact: true }).fill("0.8");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.screenshot({ path: `${ARTIFACTS}experiment-editor.png` });

  // 3. Start it: the committee runs (its scheduled swap shows in the metrics below).
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(timeline.getByRole("article", { name: /^Message \d+ from / }).last()).toBeVisible();
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });

  // 4. Metrics of that session: speed per role, memory against the budget with the swap, votes.
  await page.getByRole("tab", { name: "Metrics" }).click();
  const metrics = page.getByRole("region", { name: "Metrics" });
  const speed = metrics.getByRole("figure", { name: "Tokens per second by role" });
  await expect(speed).toContainText(/teller [\d,.]+ tok\/s/);
  await expect(speed).toContainText(/critic [\d,.]+ tok\/s/);
  await expect(speed.locator(".recharts-line")).toHaveCount(2);
  // The speed chart marks the swap the memory chart marks.
  await expect(speed.locator(".recharts-reference-line")).toHaveCount(1);
  await expect(metrics.getByRole("figure", { name: "Time to first token by role" })).toContainText(/ms to the first token/);
  const memory = metrics.getByRole("figure", { name: "Memory over time" });
  await expect(memory).toContainText(/\d+ samples over [\d.]+ s: measured peak [\d,.]+ MB/);
  await expect(memory).toContainText(/1 swap \(critic → /);
  await expect(memory.locator(".recharts-line")).toHaveCount(3);
  await expect(memory.locator(".recharts-reference-line")).toHaveCount(1);
  await expect(metrics.getByRole("figure", { name: "Votes by role" })).toContainText(/Ballots per role: /);
  await expect(metrics.getByRole("figure", { name: "Vote scores" }).locator(".recharts-bar-rectangle").first()).toBeAttached();
  await metrics.screenshot({ path: `${ARTIFACTS}metrics.png` });
  await metrics.getByRole("button", { name: "Show tables" }).click();
  const memoryTable = metrics.getByRole("table", { name: "Memory over time (table)" });
  await expect(memoryTable.getByRole("row").nth(2)).toBeVisible();
  await expect(memoryTable).toContainText(/critic → /);

  // 5. "Edit and run" opens the stored experiment; export it as JSON and as YAML.
  await page.getByRole("tab", { name: "Committee" }).click();
  await timeline.getByRole("button", { name: "Edit and run" }).click();
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
  const exported: Record<string, string> = {};
  for (const format of ["json", "yaml"] as const) {
    await editor.getByLabel("Export format").selectOption(format);
    const download = page.waitForEvent("download");
    await editor.getByRole("button", { name: "Export experiment" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`stories-committee-with-a-mid-run-swap.${format}`);
    const path = `${ARTIFACTS}exported-experiment.${format}`;
    await file.saveAs(path);
    exported[format] = path;
  }
  const json = JSON.parse(readFileSync(exported.json ?? "", "utf8")) as { seed: number; swaps: Array<{ model: string }> };
  expect(json.seed).toBe(42);
  expect(json.swaps[0]?.model).toBe("generated:tiny-chat");
  expect(parseYaml(readFileSync(exported.yaml ?? "", "utf8"))).toEqual(json);
  await editor.getByRole("button", { name: "Cancel" }).click();

  // 6. The downloaded file runs unchanged with the CLI.
  const dir = mkdtempSync(join(tmpdir(), "conclave-e2e-cli-"));
  try {
    const run = spawnSync(process.execPath, [join(ROOT, "bin", "conclave.mjs"), "run", exported.json ?? "", "--db", join(dir, "cli.db")], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`# ${TITLE}`);
    expect(run.stdout).toMatch(/\] teller /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 7. "Run again" starts the same experiment as a new session.
  const count = await sessions.getByRole("listitem").count();
  await timeline.getByRole("button", { name: "Run again" }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(count + 1);
});
