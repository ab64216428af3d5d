/**
 * React Flow nodes and edges of the committee graph. Roles are nodes (on a circle); each edge
 * aggregates messages from one role to another, and references form dashed edges from the citing
 * role to the cited one. Rebuilt from the timeline whenever its messages or speaker change.
 */
import { create } from "zustand";
import type { Edge, Node } from "@xyflow/react";
import type { Message } from "../../../shared/conversation.js";

export interface RoleNodeData extends Record<string, unknown> {
  role: string;
  model: string;
  speaking: boolean;
  messages: number;
}

interface GraphStore {
  nodes: Node<RoleNodeData>[];
  edges: Edge[];
  /**
   * With `independent`, the speakers answer the prompt without seeing each other (a blind compare):
   * no edge is drawn between them, since none replied to another.
   */
  rebuild(roles: Array<{ name: string; model: string }>, messages: Message[], speaker: string | null, independent?: boolean): void;
  /** React Flow drags nodes: keep the positions the user chose. */
  moveNode(id: string, position: { x: number; y: number }): void;
}

export const useGraph = create<GraphStore>()((set, get) => ({
  nodes: [],
  edges: [],
  rebuild(roles, messages, speaker, independent = false) {
    const previous = new Map(get().nodes.map((n) => [n.id, n.position]));
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m.from, (counts.get(m.from) ?? 0) + 1);
    const radius = 110 + roles.length * 12;
    const nodes: Node<RoleNodeData>[] = roles.map((r, i) => {
      const angle = (2 * Math.PI * i) / Math.max(roles.length, 1) - Math.PI / 2;
      return {
        id: r.name,
        type: "role",
        position: previous.get(r.name) ?? { x: radius * Math.cos(angle) + radius, y: radius * Math.sin(angle) + radius },
        data: { role: r.name, model: r.model, speaking: r.name === speaker, messages: counts.get(r.name) ?? 0 },
      };
    });
    const names = new Set(roles.map((r) => r.name));
    const flow = new Map<string, number>();
    const refs = new Map<string, number>();
    const byId = new Map(messages.map((m) => [m.id, m]));
    let lastFrom: string | null = null;
    for (const m of messages) {
      const targets = m.to === "all" ? [...names].filter((n) => n !== m.from) : m.to;
      if (!independent) for (const t of targets) if (names.has(t) && names.has(m.from)) bump(flow, `${m.from}>${t}`);
      for (const ref of m.referencesTo) {
        const cited = byId.get(ref);
        if (cited && cited.from !== m.from) bump(refs, `${m.from}>${cited.from}`);
      }
      lastFrom = m.from;
    }
    const edges: Edge[] = [];
    for (const [key, count] of flow) {
      const [source = "", target = ""] = key.split(">");
      const live = source === speaker || (speaker === null && source === lastFrom && false);
      edges.push({
        id: `flow-${key}`,
        source,
        target,
        label: String(count),
        animated: live,
        className: live ? "edge-live" : "edge-flow",
      });
    }
    for (const [key, count] of refs) {
      const [source = "", target = ""] = key.split(">");
      edges.push({
        id: `ref-${key}`,
        source,
        target,
        label: `cites ×${count}`,
        className: "edge-ref",
        style: { strokeDasharray: "5 4" },
      });
    }
    set({ nodes, edges });
  },
  moveNode: (id, position) => set((s) => ({ nodes: s.nodes.map((n) => (n.id === id ? { ...n, position } : n)) })),
}));

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
