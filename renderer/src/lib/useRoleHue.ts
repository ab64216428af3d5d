/**
 * The role palette over the active session's roles (and the user and system speakers), as a
 * function components call for each role they draw.
 */
import { useCallback, useMemo } from "react";
import { useActiveSession } from "../stores/sessionsStore";
import { roleHues, roleHue } from "./rolePalette";
import { sessionRoles } from "./sessionRoles";

export function useRoleHue(): (role: string) => number {
  const session = useActiveSession();
  const hues = useMemo(() => roleHues([...sessionRoles(session).map((r) => r.name), "user", "system"]), [session]);
  return useCallback((role: string) => hues.get(role) ?? roleHue(role), [hues]);
}
