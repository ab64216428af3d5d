/**
 * The one role palette every view and chart uses: the timeline, the registry, the graph and the
 * metrics charts agree on a role's colour, and two roles of a session never get near-identical ones.
 *
 * Hues come from a fixed set spread around the colour wheel. A role prefers the slot its name
 * hashes to; within a session's roles (taken in name order) a taken slot passes to the next free
 * one, so up to ten roles get ten distinct colours and the choice depends only on the role names.
 */

/** Hues 36° apart (the wheel in ten), in the order slots are handed out. */
export const ROLE_HUES = [216, 36, 144, 324, 288, 180, 72, 0, 108, 252] as const;

function slotOf(role: string): number {
  let h = 0;
  for (const ch of role) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % ROLE_HUES.length;
}

/** Hue of each of `roles` (duplicates ignored): distinct for up to {@link ROLE_HUES}.length roles. */
export function roleHues(roles: Iterable<string>): Map<string, number> {
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const role of [...new Set(roles)].sort()) {
    let slot = slotOf(role);
    for (let i = 0; i < ROLE_HUES.length && taken.has(slot); i++) slot = (slot + 1) % ROLE_HUES.length;
    taken.add(slot);
    out.set(role, ROLE_HUES[slot]!);
  }
  return out;
}

/** The hue of `role` among `roles`; a role outside them keeps its own preferred slot. */
export function roleHue(role: string, roles: Iterable<string> = []): number {
  return roleHues(roles).get(role) ?? ROLE_HUES[slotOf(role)]!;
}

/** A CSS colour of the role's hue, for chart strokes and fills. */
export function roleColor(hue: number): string {
  return `hsl(${hue} 62% 48%)`;
}
