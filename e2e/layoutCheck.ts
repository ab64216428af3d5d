/// <reference lib="dom" />
/**
 * Layout checks the web specs share: at a given viewport, no two top-level panels' boxes intersect,
 * and every visible control can be brought into the viewport (scrolling its own containers) and
 * is then the element actually under its centre (not clipped or covered by another panel).
 */
import type { Page } from "@playwright/test";

/** One layout fault, in words a failing test prints. */
export type LayoutFault = string;

/** Panels whose boxes intersect, each pair named by their accessible names. */
export async function overlappingPanels(page: Page): Promise<LayoutFault[]> {
  return page.evaluate(() => {
    const panels = [...document.querySelectorAll<HTMLElement>(".panel")].filter((p) => !p.parentElement?.closest(".panel") && p.getClientRects().length > 0);
    const faults: string[] = [];
    const name = (el: HTMLElement) => el.getAttribute("aria-label") ?? el.className;
    for (let i = 0; i < panels.length; i++) {
      for (let j = i + 1; j < panels.length; j++) {
        const a = panels[i]!.getBoundingClientRect();
        const b = panels[j]!.getBoundingClientRect();
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) faults.push(`${name(panels[i]!)} overlaps ${name(panels[j]!)} by ${Math.round(w)}×${Math.round(h)} px`);
      }
    }
    return faults;
  });
}

/** Controls that stay outside the viewport or under something else once scrolled to. */
export async function unreachableControls(page: Page, within = "body"): Promise<LayoutFault[]> {
  return page.evaluate((root) => {
    const faults: string[] = [];
    const controls = [...document.querySelector(root)!.querySelectorAll<HTMLElement>("button, input, select, textarea, a[href], summary")].filter(
      (el) =>
        el.getClientRects().length > 0 &&
        getComputedStyle(el).visibility !== "hidden" &&
        !el.closest("[aria-hidden='true'], .react-flow__panel, .recharts-wrapper, .skip-links") &&
        // A closed <details> keeps its content laid out but unrendered (content-visibility).
        !(el.tagName === "SUMMARY" ? el.parentElement?.parentElement : el.parentElement)?.closest("details:not([open])"),
    );
    const name = (el: HTMLElement) => `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`;
    for (const el of controls) {
      el.scrollIntoView({ block: "nearest", inline: "nearest" });
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
        faults.push(`${name(el)} lies outside the ${innerWidth}×${innerHeight} viewport at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
        continue;
      }
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit) && !hit.closest(".notices")) faults.push(`${name(el)} is covered by ${hit.tagName.toLowerCase()}.${String(hit.className).slice(0, 40)}`);
    }
    return faults;
  }, within);
}

/** Graph nodes drawn outside their panel's canvas. */
export async function nodesOutsideGraph(page: Page): Promise<LayoutFault[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLElement>(".graph-canvas");
    if (!canvas) return ["no graph canvas"];
    const c = canvas.getBoundingClientRect();
    return [...canvas.querySelectorAll<HTMLElement>(".react-flow__node")]
      .map((n) => ({ id: n.dataset.id ?? "?", r: n.getBoundingClientRect() }))
      .filter(({ r }) => r.left < c.left - 1 || r.top < c.top - 1 || r.right > c.right + 1 || r.bottom > c.bottom + 1)
      .map(({ id, r }) => `graph node ${id} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} leaves the canvas ${Math.round(c.left)},${Math.round(c.top)}–${Math.round(c.right)},${Math.round(c.bottom)}`);
  });
}
