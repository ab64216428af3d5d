/** Test support: the catalog entries for a role that fit in a RAM size, smallest first. */
import type { Catalog, CatalogEntry, CatalogRole } from "../../../../../shared/library.js";

/** Catalog models recommended for `role` that fit a machine with `ramGb` of memory, smallest first. */
export function catalogFor(catalog: Catalog, { role, ramGb }: { role?: CatalogRole; ramGb?: number }): CatalogEntry[] {
  return catalog.models
    .filter((m) => (role === undefined || m.roles.includes(role)) && (ramGb === undefined || m.minRamGb <= ramGb))
    .sort((a, b) => a.sizeBytes - b.sizeBytes);
}
