/**
 * The CLI's model resolver: the library's (paths, library names, hf: URIs), plus `generated:<preset>`
 * refs (engine/library/generatedModels.ts).
 */
import { libraryResolver, type LibraryResolverOptions } from "../engine/library/libraryResolver.js";
import { withGeneratedModels } from "../engine/library/generatedModels.js";
import type { ModelResolver } from "../engine/slots/SlotRegistry.js";

/** A library resolver that also understands `generated:<preset>`. */
export function cliResolver(options: LibraryResolverOptions = {}): ModelResolver {
  return withGeneratedModels(libraryResolver(options));
}
