/**
 * The web e2e on a real model (stories260K when present): start a two-role committee, watch it
 * stream, hot-swap a role by drag mid-session, see the swap and the conversation go on, compare
 * two models blind, export a file. Screenshots of each panel go to e2e/artifacts/.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startHostProcess, type HostProcess } from "./hostProcess.js";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const PANELS = ["Model registry", "Model library", "Conversation timeline", "Committee graph", "Compare", "Leaderboard"] as const;

let host: HostProcess;

test.beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  host = await startHostProcess();
});

test.afterAll(async () => {
  await host?.stop();
});

async function shoot(page: Page, name: (typeof PANELS)[number]): Promise<void> {
  await page.getByRole("region", { name }).screenshot({ path: `${ARTIFACTS}${name.toLowerCase().replace(/ /g, "-")}.png` });
}

test("tokenless requests are refused", async ({ request }) => {
  expect((await request.get(`${host.origin}/`)).status()).toBe(401);
});

test("committee, drag hot-swap, compare, export", async ({ page }) => {
  await page.goto(host.url);
  for (const name of PANELS.filter((p) => p !== "Compare" && p !== "Leaderboard")) await expect(page.getByRole("region", { name })).toBeVisible();
  const library = page.getByRole("region", { name: "Model library" });
  await expect(library.getByRole("listitem", { name: /^Model / }).first()).toBeVisible();

  // 1. Start a two-role committee.
  await page.getByRole("button", { name: "New session" }).first().click();
  const form = page.getByRole("dialog", { name: "New session" });
  await form.getByLabel("Task").fill("Tell a short story about a brave little robot.");
  await form.getByLabel("Rounds").fill("6");
  await form.getByLabel("Stop early on consensus").uncheck();
  await form.getByRole("button", { name: "Start session" }).click();

  // 2. Messages stream in.
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(timeline.getByRole("article", { name: /^Message \d+ from / }).first()).toBeVisible();
  const registry = page.getByRole("region", { name: "Model registry" });
  await expect(registry.getByRole("article", { name: "Slot critic" })).toBeVisible();

  // 3. Pause mid-session (small models finish a committee in seconds), then hot-swap the critic by
  //    dragging a library model onto its slot.
  await timeline.getByRole("button", { name: "Pause" }).click();
  await expect(timeline.getByRole("button", { name: "Resume" })).toBeVisible();
  // While paused (nothing streams in), rate a member's message from the timeline; checked again after a reload below.
  const rating = timeline.getByRole("article", { name: /^Message \d+ from (?!user$|system$)/ }).first().getByRole("group", { name: /^Rate message \d+$/ });
  const ratedName = (await rating.getAttribute("aria-label")) ?? "";
  await rating.getByRole("button", { name: "4 stars" }).click();
  await expect(rating.getByRole("button", { name: "4 stars" })).toHaveAttribute("aria-pressed", "true");
  // The fixture's second model is a generated one (named conclave-generated): swap the critic to it.
  await library.getByRole("listitem", { name: /^Model conclave-generated/ }).dragTo(registry.getByRole("article", { name: "Slot critic" }));
  const confirm = page.getByRole("dialog", { name: /critic/ });
  await expect(confirm.getByTestId("predicted-memory")).toBeVisible();
  await expect(confirm.getByTestId("predicted-time")).toBeVisible();
  await confirm.getByRole("button", { name: "Hot-swap" }).click();

  // 4. The swap event shows inline, and the conversation continues after it.
  await expect(timeline.getByRole("note", { name: "Swap event for critic" })).toBeVisible();
  await expect(timeline.getByText(/Manual swap during round \d+: critic/)).toBeVisible();
  const before = await timeline.getByRole("article", { name: /^Message \d+ from / }).count();
  await timeline.getByRole("button", { name: "Resume" }).click();
  await expect.poll(async () => timeline.getByRole("article", { name: /^Message \d+ from / }).count()).toBeGreaterThan(before);
  await shoot(page, "Model registry");
  await shoot(page, "Model library");
  await shoot(page, "Conversation timeline");
  await shoot(page, "Committee graph");

  // 5. Compare two models blind, vote, see them revealed.
  await page.getByRole("tab", { name: "Compare" }).click();
  const compare = page.getByRole("region", { name: "Compare" });
  const boxes = compare.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await compare.getByLabel("Compare prompt").fill("Once upon a time");
  await compare.getByRole("button", { name: "Run compare" }).click();
  await expect(compare.getByRole("button", { name: "Vote A" })).toBeEnabled();
  await compare.getByRole("button", { name: "Vote A" }).click();
  await expect(compare.getByText("your pick")).toBeVisible();
  await shoot(page, "Compare");
  // A second run judged a tie: the verdicts besides a pick.
  await compare.getByRole("button", { name: "Run compare" }).click();
  await expect(compare.getByRole("button", { name: "Tie" })).toBeEnabled();
  await compare.getByRole("button", { name: "Tie" }).click();
  await expect(compare.getByText(/Your verdict: a tie/)).toBeVisible();

  // 5b. The leaderboard ranks both models from the two human votes, with intervals.
  await page.getByRole("tab", { name: "Leaderboard" }).click();
  const board = page.getByRole("region", { name: "Leaderboard" });
  await expect(board.getByRole("table", { name: "Ratings" }).getByRole("row")).toHaveCount(3);
  await expect(board.getByRole("figure", { name: "Ratings with 95% intervals" }).locator("svg").first()).toBeVisible();
  await expect(board.getByText(/2 outcomes/)).toBeVisible();
  await shoot(page, "Leaderboard");
  await page.getByRole("tab", { name: "Committee" }).click();
  // The rating made earlier is still there after a reload (the timeline opens at the bottom: scroll up to it).
  await page.reload();
  const log = page.getByRole("region", { name: "Conversation timeline" }).getByRole("log", { name: "Messages" });
  await expect(log.getByRole("article").first()).toBeVisible();
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(page.getByRole("group", { name: ratedName, exact: true }).getByRole("button", { name: "4 stars" })).toHaveAttribute("aria-pressed", "true");

  // 6. Export a file.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exporter = page.getByRole("dialog", { name: "Export session" });
  await exporter.getByLabel("Format").selectOption("openai");
  await exporter.getByRole("button", { name: "Export" }).click();
  await expect(exporter.getByRole("status")).toContainText("Wrote");
  await expect(exporter.getByRole("region", { name: "Validation report" })).toContainText(/records valid — no errors/);
  await expect(exporter.getByRole("region", { name: "Validation report" })).toContainText(/provenance\.jsonl/);
  const download = page.waitForEvent("download");
  await exporter.getByRole("link", { name: "Download" }).click();
  const file = await download;
  await file.saveAs(`${ARTIFACTS}export.jsonl`);
});
