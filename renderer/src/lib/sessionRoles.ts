/**
 * A session's roles, read from the experiment it stores verbatim. The experiment is free JSON in
 * the contract, so only the fields the UI needs are parsed, leniently.
 */
import { z } from "zod";
import type { SessionInfo } from "../../../shared/conversation.js";

const ExperimentRoles = z.object({
  roles: z.array(z.object({ name: z.string(), model: z.string().default(""), backend: z.string().optional(), fallback: z.array(z.string()).optional() })).default([]),
  protocol: z.object({ rounds: z.number().optional(), chair: z.string().optional() }).optional(),
});

export interface SessionRole {
  name: string;
  model: string;
  /** The backend the experiment names for the role (none: the routing policy decides). */
  backend: string | null;
  fallback: string[];
}

/** The roles of a session in experiment order; empty when the experiment has none. */
export function sessionRoles(session: SessionInfo | null): SessionRole[] {
  if (!session) return [];
  const parsed = ExperimentRoles.safeParse(session.experiment);
  return parsed.success ? parsed.data.roles.map((r) => ({ name: r.name, model: baseName(r.model), backend: r.backend ?? null, fallback: r.fallback ?? [] })) : [];
}

/** Rounds configured for the session, when the experiment says. */
export function sessionRounds(session: SessionInfo | null): number | null {
  const parsed = ExperimentRoles.safeParse(session?.experiment);
  return parsed.success ? (parsed.data.protocol?.rounds ?? null) : null;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
