/**
 * "Conversation timeline": the active session's messages, inline swap events and live token
 * streams, virtualized (@tanstack/react-virtual, rows measured as they render); with role/type
 * filters, clickable references that jump and highlight, and "Run again" / "Edit and run"; "Fork
 * here" on each message (the experiment editor, prefilled, forks at that message) and "Replay" on
 * the session, with the session's lineage (fork point, source, divergence report, forks) above.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { MessageType, type Message, type SessionInfo } from "../../../shared/conversation.js";
import { Experiment } from "../../../shared/experiment.js";
import { distinctTitle, modelNameText } from "../../../shared/names.js";
import type { SwapEvent } from "../../../shared/slots.js";
import { formatMs, formatRate, formatTime, plural } from "../lib/format";
import { useRoleHue } from "../lib/useRoleHue";
import { sessionRoles } from "../lib/sessionRoles";
import { swapCostText } from "../lib/swapPlacement";
import { isObject } from "../lib/experimentDraft";
import { useActiveSession, useSessions } from "../stores/sessionsStore";
import { timelineItems, useTimeline, type LiveStream, type TimelineItem } from "../stores/timelineStore";
import { useUi } from "../stores/uiStore";
import { rpc } from "../transport/rpcClient";
import { useRatings } from "../stores/ratingsStore";
import { useCompare } from "../stores/compareStore";
import { RatingControl } from "./RatingControl";
import { openExperimentEditor } from "./experiment/openExperimentEditor";
import { LineageBar } from "./LineageBar";
import { RetrievedSource } from "./memory/RetrievedSource";
import { useSolutions } from "../stores/solutionsStore";
import { useHuman } from "../stores/humanStore";
import { HumanBanner } from "./HumanBanner";
import { TimelineLoading } from "./TimelineLoading";
import { Composer } from "./Composer";
import { RawOutput, ThoughtBlock } from "./ThoughtBlock";

const TYPES = [...MessageType.options, "swap"] as const;

export function TimelinePanel() {
  const session = useActiveSession();
  const t = useTimeline();
  const roleHue = useRoleHue();
  const roles = useMemo(() => sessionRoles(session), [session]);
  const roleNames = useMemo(() => roles.map((r) => r.name), [roles]);
  const items = useMemo(
    () => timelineItems(t.messages, t.swaps, t.streams, t.hiddenRoles, t.hiddenTypes, roleNames),
    [t.messages, t.swaps, t.streams, t.hiddenRoles, t.hiddenTypes, roleNames],
  );
  const scrollRef = useRef<HTMLDivElement | null>(null);
  // This build has no React Compiler, so nothing memoizes the virtualizer's functions across renders.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 110,
    getItemKey: (index) => items[index]?.key ?? index,
    overscan: 6,
  });
  const total = virtualizer.getTotalSize();
  const stick = useRef(true);
  const seqById = useMemo(() => new Map(t.messages.map((m) => [m.id, m.seq])), [t.messages]);

  // Follow the conversation while the user is at the bottom; leave them alone when they scrolled up.
  // Rows are measured after they render, so the total grows without a scroll: re-pin on every change.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [total, items.length]);

  useEffect(() => {
    if (!t.jump) return;
    const index = items.findIndex((i) => i.key === t.jump?.id);
    if (index >= 0) {
      stick.current = false;
      virtualizer.scrollToIndex(index, { align: "center" });
    }
    // Jump once per request (nonce), not on every item change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t.jump]);

  const speakers = useMemo(() => [...new Set([...roleNames, ...t.messages.map((m) => m.from)])], [roleNames, t.messages]);
  const wait = useHuman((s) => (session ? (s.waits[session.id] ?? null) : null));
  const loadWait = useHuman((s) => s.load);
  const live = session !== null && (session.status === "running" || session.status === "paused" || session.status === "waiting");
  const loadRatings = useRatings((s) => s.load);
  const loadSolutions = useSolutions((s) => s.load);
  const sessionId = session?.id ?? null;
  const retrievedCount = t.messages.filter((m) => m.type === "retrieved").length;
  useEffect(() => {
    void loadRatings(sessionId);
  }, [loadRatings, sessionId]);
  // The wait may have begun before this UI connected or opened the session.
  const status = session?.status ?? null;
  useEffect(() => {
    if (sessionId && status === "waiting") void loadWait(sessionId).catch(() => undefined);
  }, [loadWait, sessionId, status]);
  // The library's record names each retrieved message's source; re-read when one arrives.
  useEffect(() => {
    void loadSolutions(sessionId);
  }, [loadSolutions, sessionId, retrievedCount]);
  const forkAt = (seq: number): void => {
    if (!session) return;
    if (!isObject(session.experiment)) {
      useUi.getState().notify("error", "This session has no stored experiment to fork with");
      return;
    }
    openExperimentEditor(session.experiment, `session “${session.title}” at message #${seq}`, { sessionId: session.id, atSeq: seq });
  };

  return (
    <section className="panel timeline" aria-label="Conversation timeline" id="panel-timeline" tabIndex={-1}>
      <header className="panel-head">
        <h2>Conversation timeline</h2>
        <span className="muted small">
          {session ? `${session.title || session.task.slice(0, 40)} · ${plural(t.messages.length, "message")}` : "no session"}
        </span>
        {session && session.status === "running" && (
          <button className="btn small" onClick={() => void rpc().call("sessions.control", { sessionId: session.id, action: "pause" })}>Pause</button>
        )}
        {session && session.status === "paused" && (
          <button className="btn small" onClick={() => void rpc().call("sessions.control", { sessionId: session.id, action: "resume" })}>Resume</button>
        )}
        {session && (session.status === "running" || session.status === "paused" || session.status === "waiting") && (
          <button className="btn small danger" onClick={() => void rpc().call("sessions.control", { sessionId: session.id, action: "abort" })}>Abort</button>
        )}
        {session && session.status === "interrupted" && <InterruptedControls sessionId={session.id} />}
        {session && <Rerun session={session} />}
      </header>
      {/* Its own line under the head: the head's text is cut to fit its buttons, and a status must read in full. */}
      {session?.status === "running" && t.progress && <p className="timeline-progress muted small" role="status" aria-label="Session progress">{t.progress}</p>}
      {session && <LineageBar session={session} />}
      {session && session.status === "waiting" && wait && <HumanBanner sessionId={session.id} wait={wait} />}
      <div className="filters" role="group" aria-label="Filters">
        {speakers.map((r) => (
          <button
            key={r}
            className={`chip${t.hiddenRoles.includes(r) ? " off" : ""}`}
            aria-pressed={!t.hiddenRoles.includes(r)}
            aria-label={`from ${r}`}
            title={`Show messages from ${r}`}
            style={{ ["--role-hue" as string]: roleHue(r) }}
            onClick={() => t.toggleRole(r)}
          >
            {r}
          </button>
        ))}
        {speakers.length > 0 && <span className="sep" />}
        {TYPES.map((type) => (
          <button key={type} className={`chip type${t.hiddenTypes.includes(type) ? " off" : ""}`} aria-pressed={!t.hiddenTypes.includes(type)} aria-label={`type ${type}`} title={`Show ${type} messages`} onClick={() => t.toggleType(type)}>
            {type}
          </button>
        ))}
      </div>
      <div
        className="timeline-scroll"
        ref={scrollRef}
        role="log"
        aria-label="Messages"
        aria-live="off"
        onScroll={() => {
          const el = scrollRef.current;
          if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {!session && <Empty />}
        {session && live && items.length === 0 && <TimelineLoading session={session} />}
        <div style={{ height: total, position: "relative" }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index];
            if (!item) return null;
            return (
              <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="vrow" style={{ transform: `translateY(${row.start}px)` }}>
                <Row item={item} highlight={t.highlightId} seqById={seqById} onJump={t.jumpTo} onFork={forkAt} />
              </div>
            );
          })}
        </div>
      </div>
      {session && live && <Composer key={session.id} sessionId={session.id} wait={session.status === "waiting" ? wait : null} roles={roleNames} />}
    </section>
  );
}

function Empty() {
  return (
    <div className="empty">
      <p>No session selected.</p>
      <button className="btn primary" onClick={() => openExperimentEditor()}>Start a committee</button>
    </div>
  );
}

/** "Run again" (the stored experiment, seed included, as is) and "Edit and run" (it, in the editor). */
function Rerun({ session }: { session: SessionInfo }) {
  const create = useSessions((s) => s.create);
  const notify = useUi((s) => s.notify);
  const runAgain = async (): Promise<void> => {
    const parsed = Experiment.safeParse(session.experiment);
    if (!parsed.success) {
      notify("error", `This session's stored experiment is not runnable: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      return;
    }
    try {
      // A second run gets its own title, so the two can be told apart in the list and exports.
      const titles = useSessions.getState().sessions.map((x) => x.title);
      const again = await create({ ...parsed.data, title: distinctTitle(parsed.data.title, titles) });
      notify("ok", `Started ${again.title} again`);
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };
  const replay = async (): Promise<void> => {
    try {
      const { session: started, warnings } = await useSessions.getState().replay(session.id);
      notify(warnings.length > 0 ? "info" : "ok", `Replaying as ${started.title}${warnings.length > 0 ? ` — not exactly replayable: ${warnings.map((w) => w.kind).join(", ")}` : ""}`);
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };
  const stored = isObject(session.experiment) ? session.experiment : null;
  return (
    <>
      <button className="btn small" disabled={!stored} onClick={() => void runAgain()}>Run again</button>
      <button className="btn small" disabled={!stored} title="Rerun with the same seed and settings, then compare the transcripts" onClick={() => void replay()}>
        Replay
      </button>
      <button className="btn small" disabled={!stored} onClick={() => stored && openExperimentEditor(stored, `session “${session.title}”`)}>Edit and run</button>
    </>
  );
}

interface RowActions {
  seqById: Map<string, number>;
  onJump: (id: string) => void;
  onFork: (seq: number) => void;
}

function Row({ item, highlight, ...actions }: { item: TimelineItem; highlight: string | null } & RowActions) {
  if (item.kind === "swap") return <SwapRow swap={item.swap} />;
  if (item.kind === "stream") return <StreamRow stream={item.stream} />;
  return <MessageRow message={item.message} highlighted={highlight === item.message.id} {...actions} />;
}

function MessageRow({ message: m, highlighted, seqById, onJump, onFork }: { message: Message; highlighted: boolean } & RowActions) {
  const blind = useBlindSession(m.sessionId);
  const roleHue = useRoleHue();
  return (
    <article
      className={`msg${highlighted ? " highlight" : ""}`}
      aria-label={`Message ${m.seq} from ${m.from}`}
      data-message-id={m.id}
      data-type={m.type}
      style={{ ["--role-hue" as string]: roleHue(m.from) }}
    >
      <div className="msg-head">
        <span className="seq">#{m.seq}</span>
        <span className="role-chip">{m.from}</span>
        {m.provenance?.human && <span className="badge human">{m.from === "user" ? "from you" : "human seat"}</span>}
        <span className={`badge type-${m.type}`}>{m.type}</span>
        {m.to !== "all" && <span className="muted small">→ {m.to.join(", ")}</span>}
        {m.confidence !== null && (
          <span className="confidence" title="self-reported confidence" aria-label={`confidence ${Math.round(m.confidence * 100)}%`}>
            <span className="conf-bar"><span style={{ width: `${m.confidence * 100}%` }} /></span>
            {Math.round(m.confidence * 100)}%
          </span>
        )}
        {m.round !== null && <span className="muted small">round {m.round}</span>}
        <span className="grow" />
        <span className="muted small">{formatTime(m.createdAt)}</span>
      </div>
      {m.thought && <ThoughtBlock thought={m.thought} seq={m.seq} />}
      <div className="msg-body">{m.content}</div>
      <RawOutput message={m} />
      <div className="msg-foot">
        {m.referencesTo.map((ref) => (
          <button key={ref} className="ref" onClick={() => onJump(ref)} aria-label={`Jump to referenced message ${seqById.get(ref) ?? ref}`}>
            ↳ #{seqById.get(ref) ?? ref.slice(0, 6)}
          </button>
        ))}
        {m.provenance && !m.provenance.human && !blind && <span className="muted small">{modelNameText({ fileName: m.provenance.fileName, name: m.provenance.modelName })} · {m.provenance.quantization}</span>}
        {m.usage && (
          <span className="muted small">
            {m.usage.completionTokens} tok{m.thought ? ` + ${m.thought.tokens} thought` : ""} · ttft {formatMs(m.usage.ttftMs)} · {formatRate(m.usage.tokensPerSec)}
          </span>
        )}
        {m.routing && (
          <span
            className={`badge routing${/fallback to |cannot take turns now/.test(m.routing.reason) ? " warn" : ""}`}
            title={m.routing.reason}
            aria-label={`ran on ${m.routing.backend}: ${m.routing.reason}`}
          >
            via {m.routing.backend}
          </span>
        )}
        {m.repairs.length > 0 && <Repairs repairs={m.repairs} />}
        {m.type === "retrieved" && <RetrievedSource messageId={m.id} />}
        <span className="grow" />
        <RatingControl messageId={m.id} seq={m.seq} />
        <button className="btn tiny fork-here" aria-label={`Fork at message ${m.seq}`} title="Fork here: a new session with messages 1…this one, then live (models and settings can be changed)" onClick={() => onFork(m.seq)}>
          Fork here
        </button>
      </div>
    </article>
  );
}

/** What the parser repaired in a reply, open to keyboard and touch alike (not a hover title). */
function Repairs({ repairs }: { repairs: string[] }) {
  return (
    <details className="repairs">
      <summary className="badge warn">repaired ×{repairs.length}</summary>
      <ul className="small">
        {repairs.map((r, i) => <li key={i}>{r}</li>)}
      </ul>
    </details>
  );
}

/** Whether `sessionId` is a compare still awaiting its vote, whose models must stay unnamed. */
function useBlindSession(sessionId: string): boolean {
  return useCompare((s) => s.run?.id === sessionId && s.run.winner === null);
}

function StreamRow({ stream }: { stream: LiveStream }) {
  const roleHue = useRoleHue();
  return (
    <article className="msg live" aria-label={`${stream.role} is speaking`} style={{ ["--role-hue" as string]: roleHue(stream.role) }}>
      <div className="msg-head">
        <span className="role-chip">{stream.role}</span>
        <span className="badge live-badge">streaming</span>
      </div>
      {stream.thought && <ThoughtBlock thought={{ text: stream.thought }} seq={null} live={!stream.text} />}
      <div className="msg-body" data-testid="live-text">
        {stream.text}
        <span className="caret" aria-hidden />
      </div>
    </article>
  );
}

function SwapRow({ swap: s }: { swap: SwapEvent }) {
  const ok = s.outcome === "ok";
  return (
    <div className={`swap-event${ok ? "" : " failed"}`} role="note" aria-label={`Swap event for ${s.role}`}>
      <span className="swap-icon" aria-hidden>⇄</span>
      <strong>{s.role}</strong>&nbsp;swapped {s.from ? modelNameText(s.from) : "—"} → {modelNameText(s.to)}
      <span className="muted small">
        {" "}
        · {ok ? "ok" : s.outcome} · <span data-testid="swap-cost">{swapCostText(s)}</span> (unload {formatMs(s.unloadMs)} · load {formatMs(s.loadMs)} · prefill {formatMs(s.prefillMs)}) · {s.tokensReingested} tokens re-ingested · kept {s.keptTurns}/{s.historyTurns} turns
        {s.droppedTurns > 0 && ` (${s.compression}: dropped ${s.droppedTurns})`}
        {s.usedSavedState && " · restored saved state"}
      </span>
      {s.error && <span className="error-text small"> {s.error}</span>}
    </div>
  );
}

/** An interrupted session (its process stopped) can be resumed from the store or ended. */
function InterruptedControls({ sessionId }: { sessionId: string }) {
  const act = (action: "resume" | "end"): void => {
    rpc()
      .call("sessions.control", { sessionId, action })
      .catch((e: unknown) => useUi.getState().notify("error", e instanceof Error ? e.message : String(e)));
  };
  return (
    <>
      <span className="muted small">interrupted</span>
      <button className="btn small" onClick={() => act("resume")}>Resume from store</button>
      <button className="btn small danger" onClick={() => act("end")}>End</button>
    </>
  );
}
