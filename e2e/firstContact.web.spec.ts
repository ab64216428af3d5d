/**
 * The cockpit as a researcher first meets it, at the smallest supported window (1024×700): the
 * panels do not overlap and every control can be reached, models are named by their files, the
 * session list counts what the timeline shows, dialogs hand focus back, a note on a rating revises
 * it, export downloads in one click under the session's title, broken files say so and can be
 * removed, and an oversized RPC frame is refused with 1009. Screenshots go to e2e/artifacts/.
 */
import { expect, test, type Page } from "@playwright/test";
import { brokenModel } from "../models/test/testModels.js";
import { nodesOutsideGraph, overlappingPanels, unreachableControls } from "./layoutCheck.js";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const host = hostPerFile();
const TITLE = "First contact";

test.use({ viewport: { width: 1024, height: 700 } });

async function layoutFaults(page: Page): Promise<string[]> {
  return [...(await overlappingPanels(page)), ...(await unreachableControls(page))];
}

test("a short committee at 1024×700: layout, names, counts, focus, ratings, export", async ({ page }) => {
  await openApp(page, host());
  const library = page.getByRole("region", { name: "Model library" });
  // Models are listed by file name (the internal name is a detail), so same-named files differ.
  const rows = library.getByRole("listitem", { name: /^Model / });
  for (const name of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""))) expect(name).toMatch(/^Model \S+\.gguf$/);

  const editor = await openEditor(page);
  // A blank form is not a wrong one: no error shows in red until a field is touched.
  await expect(editor.getByText("To start, fill in: task.")).toBeVisible();
  await expect(editor.locator(".error-text")).toHaveCount(0);
  await editor.getByLabel("Task", { exact: true }).focus();
  await editor.getByLabel("Title", { exact: true }).focus();
  await expect(editor.locator('[data-issue-path="task"]')).toContainText("task: the task is required");
  await editor.getByLabel("Title", { exact: true }).fill(TITLE);
  await editor.getByLabel("Task", { exact: true }).fill("Tell a short story about a lighthouse.");
  await editor.getByLabel("Rounds", { exact: true }).fill("2");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  // Recorded as the page changes, since loading may be quick: what the timeline said while models
  // loaded, and every progress line with whether it was cut to fit.
  await page.evaluate(() => {
    const seen = { loading: "", progress: [] as string[], cut: [] as string[] };
    Object.assign(window, { conclaveSeen: seen });
    new MutationObserver(() => {
      const loading = document.querySelector('[aria-label="Loading models"]');
      if (loading && !seen.loading) seen.loading = loading.textContent ?? "";
      const line = document.querySelector<HTMLElement>('[aria-label="Session progress"]');
      const text = line?.textContent ?? "";
      if (!line || seen.progress.includes(text)) return;
      seen.progress.push(text);
      if (line.scrollWidth > line.clientWidth + 1) seen.cut.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });
  const seen = await page.evaluate(() => (window as unknown as { conclaveSeen: { loading: string; progress: string[]; cut: string[] } }).conclaveSeen);
  expect(seen.loading).toMatch(/^Loading \S+\.gguf/);
  expect(seen.loading).toContain("analyzer");
  expect(seen.progress.length).toBeGreaterThan(0);
  expect(seen.cut).toEqual([]);

  // The list counts the messages the timeline shows, live and after a reload alike.
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  const messages = timeline.getByRole("article", { name: /^Message \d+ from / });
  const newest = async (): Promise<number> => Number(/^Message (\d+)/.exec((await messages.last().getAttribute("aria-label")) ?? "")?.[1] ?? 0);
  await expect(messages.last()).toBeVisible();
  const count = await newest();
  await expect(sessions.locator('[aria-current="true"]')).toContainText(`${count} messages`);
  await page.reload();
  await expect(sessions.locator('[aria-current="true"]')).toContainText(`${count} messages`);
  await expect(messages.last()).toBeVisible();
  // From a fresh page the keyboard reaches the graph in two tabs, through the skip links.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the conversation timeline" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the committee graph" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: "Committee graph" })).toBeFocused();

  // Layout of the committee view: panels apart, graph nodes inside their panel, every control reachable.
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}first-contact-1024.png` });
  expect(await layoutFaults(page)).toEqual([]);
  expect(await nodesOutsideGraph(page)).toEqual([]);
  // Footers name the file a message came from; filter buttons have names of their own.
  await expect(messages.filter({ hasNot: page.locator('[data-type="system"]') }).last().locator(".msg-foot")).toContainText(/\.gguf/);
  const filterNames = await timeline.getByRole("group", { name: "Filters" }).getByRole("button").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.textContent));
  expect(new Set(filterNames).size).toBe(filterNames.length);
  const catalogNames = await library.locator(".catalog button").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.textContent));
  expect(new Set(catalogNames).size).toBe(catalogNames.length);

  // A note on a rated message revises that rating, and reopening the note shows it.
  const log = timeline.getByRole("log", { name: "Messages" });
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  const member = log.getByRole("article", { name: /^Message \d+ from (?!user$|system$)/ }).first();
  const rating = member.getByRole("group", { name: /^Rate message \d+$/ });
  // The five stars are one tab stop (arrows move between them), beside the note button.
  const stops = await rating.evaluate((el) => [...el.querySelectorAll<HTMLElement>("button, input")].filter((c) => c.tabIndex >= 0).length);
  expect(stops).toBe(2);
  await rating.getByRole("button", { name: "4 stars" }).click();
  await expect(rating.getByRole("button", { name: "4 stars" })).toHaveAttribute("aria-pressed", "true");
  await rating.getByRole("button", { name: "note" }).click();
  await rating.getByRole("textbox").fill("vivid opening");
  await rating.getByRole("button", { name: "Save" }).click();
  await expect(rating.getByRole("textbox")).toBeHidden();
  await rating.getByRole("button", { name: "note" }).click();
  await expect(rating.getByRole("textbox")).toHaveValue("vivid opening");


  // Dialogs hand focus back to the control that opened them.
  const settings = page.getByRole("button", { name: "Settings" });
  await settings.click();
  const settingsDialog = page.getByRole("dialog", { name: "Settings" });
  await expect(settingsDialog).toBeVisible();
  // Its Save and Cancel close the whole dialog, so they sit at its foot, after the backends.
  const backends = await settingsDialog.getByRole("region", { name: "Backend settings" }).boundingBox();
  const save = await settingsDialog.getByRole("button", { name: "Save", exact: true }).boundingBox();
  expect(save && backends && save.y >= backends.y + backends.height).toBe(true);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Settings" })).toBeHidden();
  await expect(settings).toBeFocused();

  // Export: one click writes and downloads the file, named for the session's title; one rating per message.
  const exportButton = page.getByRole("button", { name: "Export", exact: true });
  await exportButton.click();
  const exporter = page.getByRole("dialog", { name: "Export session" });
  await expect(exporter).toContainText("Minimum rating: any");
  await exporter.getByLabel("Format").selectOption("json");
  const download = page.waitForEvent("download");
  await exporter.getByRole("button", { name: "Export" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("first-contact-json.json");
  const path = `${ARTIFACTS}first-contact.json`;
  await file.saveAs(path);
  const exported = JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(path, "utf8"))) as { ratings?: Array<{ messageId: string; source: string }> };
  const userRatings = (exported.ratings ?? []).filter((r) => r.source === "user");
  expect(userRatings).toHaveLength(1);
  await page.keyboard.press("Escape");
  await expect(exportButton).toBeFocused();

  // The Metrics view holds at this size too: "Show tables" and "Advise" are reachable.
  await page.getByRole("tab", { name: "Metrics" }).click();
  const metrics = page.getByRole("region", { name: "Metrics" });
  await expect(metrics.getByRole("figure", { name: "Tokens per second by role" })).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}first-contact-metrics-1024.png` });
  expect(await layoutFaults(page)).toEqual([]);
});

test("blind compare stays blind until the vote; broken files are reported and removable; an oversized RPC frame closes with 1009", async ({ page }) => {
  await openApp(page, host());
  // A new role named and Enter pressed asks which model to load, with its predicted cost.
  const registry = page.getByRole("region", { name: "Model registry" });
  const library = page.getByRole("region", { name: "Model library" });
  await registry.getByLabel("New role name").fill("scribe");
  // The generated model, which no other seat has loaded: the seat's share is then the whole file's.
  await registry.getByLabel("Model for scribe").selectOption({ index: 1 });
  await registry.getByLabel("New role name").press("Enter");
  const load = page.getByRole("dialog", { name: "Load scribe" });
  await expect(load.getByTestId("predicted-memory")).toBeVisible();
  await expect(load).toContainText("tiny-chat-");
  await expect(library.getByRole("listitem", { name: /^Model tiny-chat-/ }).getByTestId("library-estimate")).toBeVisible();
  // One estimate, counted alike (weights + KV cache + process), in the library list, the load dialog and the seat card.
  const listed = (await library.getByRole("listitem", { name: /^Model tiny-chat-/ }).getByTestId("library-estimate").textContent()) ?? "";
  const predicted = (await load.getByTestId("predicted-memory").textContent()) ?? "";
  const parts = /weights (\S+ \w+) \+ KV cache (\S+ \w+) \+ process (\S+ \w+)/;
  expect(listed).toMatch(parts);
  expect(listed).toContain(`est ${predicted.split(" (")[0]} a seat`);
  expect(listed.match(parts)?.slice(1)).toEqual(predicted.match(parts)?.slice(1));
  await load.getByRole("button", { name: "Load", exact: true }).click();
  const scribe = registry.getByRole("article", { name: "Slot scribe" });
  await expect(scribe).toHaveAttribute("data-status", "ready");
  // The seat's weights and KV cache are the dialog's; its process part is that process's own measured start-up memory.
  const seat = (await scribe.getByTestId("seat-estimate").textContent()) ?? "";
  expect(seat).toMatch(parts);
  expect(seat.match(parts)?.slice(1, 3)).toEqual(predicted.match(parts)?.slice(1, 3));
  await scribe.getByRole("button", { name: "Unload scribe" }).click();

  // Compare: until the vote, its session is not listed (its timeline and graph would name the models).
  await page.getByRole("tab", { name: "Compare" }).click();
  const compare = page.getByRole("region", { name: "Compare" });
  await compare.getByRole("checkbox").nth(0).check();
  await compare.getByRole("checkbox").nth(1).check();
  await compare.getByRole("button", { name: "Run compare" }).click();
  await expect(compare.getByRole("button", { name: "Vote A" })).toBeEnabled();
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.getByRole("button", { name: /Compare:/ })).toHaveCount(0);
  // Its columns survive a visit to another view, and a reload of the page: the host keeps the run
  // blind, so the list still leaves it out and Compare shows it again for the vote.
  await page.getByRole("tab", { name: "Committee" }).click();
  await page.getByRole("tab", { name: "Compare" }).click();
  await expect(compare.getByRole("button", { name: "Vote A" })).toBeEnabled();
  await page.reload();
  await expect(sessions.getByRole("button", { name: new RegExp(TITLE) }).first()).toBeVisible();
  await page.getByRole("tab", { name: "Compare" }).click();
  await expect(compare.getByRole("button", { name: "Vote A" })).toBeEnabled();
  await expect(sessions.getByRole("button", { name: /Compare:/ })).toHaveCount(0);
  await compare.getByRole("button", { name: "Vote A" }).click();
  await expect(compare.getByText("your pick")).toBeVisible();
  await expect(compare.getByRole("article", { name: "Column A" })).toContainText(/\.gguf/);
  await expect(sessions.getByRole("button", { name: /Compare:/ })).toHaveCount(1);
  // Opened after the vote, its graph draws no replies between columns that never saw each other.
  await sessions.getByRole("button", { name: /Compare:/ }).click();
  await page.getByRole("tab", { name: "Committee" }).click();
  const graph = page.getByRole("region", { name: "Committee graph" });
  await expect(graph.locator(".react-flow__node")).toHaveCount(2);
  await expect(graph.locator(".react-flow__edge")).toHaveCount(0);

  for (const kind of ["garbage", "truncated"] as const) {
    await library.getByLabel("GGUF file or folder").fill(await brokenModel(kind));
    await library.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.locator(".notice.error").last()).toContainText(/Added no usable model: 1 file unusable: broken-/);
  }
  await expect(page.locator(".notice.ok")).toHaveCount(0);
  const broken = library.getByRole("listitem", { name: /^Unusable file broken-/ });
  await expect(broken).toHaveCount(2);
  await broken.first().getByRole("button", { name: /^Remove .* from the library$/ }).click();
  await expect(broken).toHaveCount(1);

  // The page's own socket code, as the app would send it: a frame over the host's limit.
  const code = await page.evaluate(
    (url) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => ws.send(JSON.stringify({ kind: "request", id: 1, method: "slots.list", params: { pad: "x".repeat(10 * 1024 * 1024) } }));
        ws.onclose = (e) => resolve(e.code);
      }),
    host().url.replace(/^http/, "ws").replace("/?", "/rpc?"),
  );
  expect(code).toBe(1009);
});
