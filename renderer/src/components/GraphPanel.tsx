/**
 * "Committee graph": roles as nodes, message flow as edges, references as dashed edges; the node
 * of the role speaking right now pulses. Nodes and edges live in the graph store.
 */
import { useRoleHue } from "../lib/useRoleHue";
import { useEffect, useMemo } from "react";
import { Background, Controls, Handle, Position, ReactFlow, useNodesInitialized, useReactFlow, type NodeProps, type Node, type NodeChange } from "@xyflow/react";
import { sessionRoles } from "../lib/sessionRoles";
import { useGraph, type RoleNodeData } from "../stores/graphStore";
import { useActiveSession } from "../stores/sessionsStore";
import { useTimeline } from "../stores/timelineStore";

function RoleNode({ data }: NodeProps<Node<RoleNodeData>>) {
  const roleHue = useRoleHue();
  return (
    <div className={`role-node${data.speaking ? " speaking" : ""}`} style={{ ["--role-hue" as string]: roleHue(data.role) }} aria-label={`${data.role}${data.speaking ? " (speaking)" : ""}`}>
      <Handle type="target" position={Position.Top} />
      <div className="role-node-name" title={data.role}>{data.role}</div>
      <div className="role-node-model" title={data.model}>{data.model}</div>
      <div className="role-node-count">{data.messages} msg{data.speaking ? " · speaking" : ""}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

const nodeTypes = { role: RoleNode };
const FIT = { padding: 0.25, maxZoom: 1.25 };

/**
 * Re-fits the view whenever the roles or their models change (a swap to a long model name widens a
 * node), not only on first render, so no node is left past the panel's edge.
 */
function AutoFit({ layoutKey }: { layoutKey: string }) {
  const { fitView } = useReactFlow();
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (initialized) void fitView(FIT);
  }, [layoutKey, initialized, fitView]);
  return null;
}

export function GraphPanel() {
  const session = useActiveSession();
  const blind = session?.protocolKind === "compare";
  const swaps = useTimeline((s) => s.swaps);
  // A node shows the model the role runs now: the last successful hot-swap wins over the plan.
  const roles = useMemo(
    () =>
      sessionRoles(session).map((r) => {
        const last = swaps.filter((w) => w.role === r.name && w.outcome === "ok").at(-1);
        // A compare's columns stay anonymous here too: the Compare view reveals them after the vote.
        if (blind) return { ...r, model: "model hidden" };
        return last ? { ...r, model: last.to.fileName } : r;
      }),
    [session, swaps, blind],
  );
  const messages = useTimeline((s) => s.messages);
  const speaker = useTimeline((s) => s.speaker);
  const live = session?.status === "running";
  const { nodes, edges, rebuild, moveNode } = useGraph();

  useEffect(() => {
    rebuild(roles, messages, live ? speaker : null, blind);
  }, [roles, messages, speaker, live, rebuild, blind]);

  const onNodesChange = (changes: NodeChange[]): void => {
    for (const c of changes) if (c.type === "position" && c.position) moveNode(c.id, c.position);
  };

  return (
    <section className="panel graph" aria-label="Committee graph" id="panel-graph" tabIndex={-1}>
      <header className="panel-head">
        <h2>Committee graph</h2>
        <span className="muted small">
          {live && speaker ? <span className="live-dot">speaking: {speaker}</span> : session ? session.protocolKind : "no session"}
        </span>
      </header>
      <div className="graph-canvas">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          fitView
          fitViewOptions={FIT}
          nodesConnectable={false}
          proOptions={{ hideAttribution: true }}
          colorMode="system"
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
          <AutoFit layoutKey={roles.map((r) => `${r.name}=${r.model}`).join("|")} />
        </ReactFlow>
      </div>
      <div className="legend small muted">
        <span><i className="line solid" /> messages (count)</span>
        <span><i className="line dashed" /> references</span>
        <span><i className="line live" /> live speaker</span>
      </div>
    </section>
  );
}
