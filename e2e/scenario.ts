/**
 * The committee scenario both e2e projects run, on whatever page shows the app (the loopback host in
 * Chromium, or the Electron shell's window): start a two-role committee from the experiment editor,
 * watch it stream, hot-swap a role by drag mid-session, see the swap and the conversation go on,
 * compare two models blind, export a file. Screenshots of each panel go to `artifacts`.
 */
import { expect, type Page } from "@playwright/test";

export const PANELS = ["Model registry", "Model library", "Conversation timeline", "Committee graph", "Compare"] as const;

export interface ScenarioOptions {
  /** Folder (ending in a separator) the screenshots and the exported file go to. */
  artifacts: string;
  /** Prefix of the screenshot names, so the projects do not overwrite each other's. */
  prefix?: string;
  /** The loopback host offers a download link for exports; the desktop app writes the file in place. */
  downloads: boolean;
}

/** A screenshot of a named region. */
export async function shoot(page: Page, name: string, options: Pick<ScenarioOptions, "artifacts" | "prefix">): Promise<void> {
  const file = `${options.artifacts}${options.prefix ?? ""}${name.toLowerCase().replace(/ /g, "-")}.png`;
  await page.getByRole("region", { name }).screenshot({ path: file });
}

export async function committeeScenario(page: Page, options: ScenarioOptions): Promise<void> {
  for (const name of PANELS.filter((p) => p !== "Compare")) await expect(page.getByRole("region", { name })).toBeVisible();
  const library = page.getByRole("region", { name: "Model library" });
  await expect(library.getByRole("listitem", { name: /^Model / }).first()).toBeVisible();

  // 1. Start a two-role committee from the experiment editor's form.
  await page.getByRole("button", { name: "New session" }).first().click();
  const editor = page.getByRole("dialog", { name: "Experiment editor" });
  await editor.getByLabel("Task", { exact: true }).fill("Tell a short story about a brave little robot.");
  await editor.getByLabel("Rounds", { exact: true }).fill("6");
  await editor.getByLabel("Stop early on consensus").uncheck();
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  // 2. Messages stream in.
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(timeline.getByRole("article", { name: /^Message \d+ from / }).first()).toBeVisible();
  const registry = page.getByRole("region", { name: "Model registry" });
  await expect(registry.getByRole("article", { name: "Slot critic" })).toBeVisible();

  // 3. Pause mid-session (small models finish a committee in seconds), then hot-swap the critic by
  //    dragging a library model onto its slot.
  await timeline.getByRole("button", { name: "Pause" }).click();
  await expect(timeline.getByRole("button", { name: "Resume" })).toBeVisible();
  // The fixture's second model is the generated tiny-chat one: swap the critic to it.
  await library.getByRole("listitem", { name: /^Model tiny-chat-/ }).dragTo(registry.getByRole("article", { name: "Slot critic" }));
  const confirm = page.getByRole("dialog", { name: /critic/ });
  await expect(confirm.getByTestId("predicted-memory")).toBeVisible();
  await expect(confirm.getByTestId("predicted-time")).toBeVisible();
  await confirm.getByRole("button", { name: "Hot-swap" }).click();

  // 4. The swap event shows inline, and the conversation continues after it.
  await expect(timeline.getByRole("note", { name: "Swap event for critic" })).toBeVisible();
  await expect(timeline.getByText(/Manual swap during round \d+: critic/)).toBeVisible();
  const messages = timeline.getByRole("article", { name: /^Message \d+ from / });
  // The list is virtual (only the rows in view exist), so progress is read from the newest message's number.
  const newest = async (): Promise<number> => Number(/^Message (\d+)/.exec((await messages.last().getAttribute("aria-label")) ?? "")?.[1] ?? 0);
  const before = await newest();
  await timeline.getByRole("button", { name: "Resume" }).click();
  await expect.poll(newest).toBeGreaterThan(before);
  // The timeline's screenshot must show its messages, not an empty scroll area.
  await expect(messages.last()).toBeInViewport();
  for (const name of ["Model registry", "Model library", "Conversation timeline", "Committee graph"]) await shoot(page, name, options);

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
  await shoot(page, "Compare", options);
  // A second run judged a tie: the verdicts besides a pick.
  await compare.getByRole("button", { name: "Run compare" }).click();
  await expect(compare.getByRole("button", { name: "Tie" })).toBeEnabled();
  await compare.getByRole("button", { name: "Tie" }).click();
  await expect(compare.getByText(/Your verdict: a tie/)).toBeVisible();

  // 5b. The leaderboard ranks both models from the two human votes, with intervals drawn.
  await page.getByRole("tab", { name: "Leaderboard" }).click();
  const board = page.getByRole("region", { name: "Leaderboard" });
  await expect(board.getByRole("table", { name: "Ratings" }).getByRole("row")).toHaveCount(3);
  await expect(board.getByRole("figure", { name: "Ratings with 95% intervals" }).locator("svg").first()).toBeVisible();
  await expect(board.getByText(/2 outcomes/)).toBeVisible();
  await shoot(page, "Leaderboard", options);

  // 5c. Rate a member's message on the committee session's timeline; the stars survive a reload.
  const committee = async () => {
    await page.getByRole("tab", { name: "Committee" }).click();
    await page.getByRole("navigation", { name: "Sessions" }).getByRole("button").filter({ hasNotText: /Compare:|New session/ }).first().click();
    const log = page.getByRole("region", { name: "Conversation timeline" }).getByRole("log", { name: "Messages" });
    await expect(log.getByRole("article").first()).toBeVisible();
    // The list is virtual and may still be loading: scroll to the top until its first message is drawn.
    await expect(async () => {
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(log.getByRole("article", { name: /^Message 1 from / })).toBeVisible({ timeout: 2_000 });
    }).toPass();
    return log;
  };
  const rating = (await committee()).getByRole("article", { name: /^Message \d+ from (?!user$|system$)/ }).first().getByRole("group", { name: /^Rate message \d+$/ });
  const ratedName = (await rating.getAttribute("aria-label")) ?? "";
  await rating.getByRole("button", { name: "4 stars" }).click();
  await expect(rating.getByRole("button", { name: "4 stars" })).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await committee();
  await expect(page.getByRole("group", { name: ratedName, exact: true }).getByRole("button", { name: "4 stars" })).toHaveAttribute("aria-pressed", "true");

  // 6. Export a file.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exporter = page.getByRole("dialog", { name: "Export session" });
  await exporter.getByLabel("Format").selectOption("openai");
  // The loopback host's download starts with the export itself: one click.
  const download = options.downloads ? page.waitForEvent("download") : null;
  await exporter.getByRole("button", { name: "Export" }).click();
  await expect(exporter.getByRole("status")).toContainText("Wrote");
  const report = exporter.getByRole("region", { name: "Validation report" });
  await expect(report).toContainText(/records valid — no errors/);
  await expect(report).toContainText(/provenance\.jsonl/);
  if (download) {
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^[a-z0-9-]+-openai\.jsonl$/);
    await file.saveAs(`${options.artifacts}${options.prefix ?? ""}export.jsonl`);
  }
}
