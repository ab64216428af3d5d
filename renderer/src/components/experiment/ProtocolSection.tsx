/**
 * How the committee talks: the kind, then the options that kind reads (all of them on request,
 * since the schema is one shape for every kind and a file may set any).
 */
import { useState } from "react";
import { ProtocolKind } from "../../../../shared/conversation.js";
import { draftRoleNames } from "../../lib/experimentDraft";
import { useShallow } from "zustand/react/shallow";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { FieldIssues, NameChecklist, NumberField, SelectField, Section, TriStateField, useDraftValue } from "./fields";
import { ListEditor } from "./ListEditor";

type Option = "rounds" | "chair" | "stopWhen" | "steps" | "producer" | "validator" | "corrector" | "maxAttempts" | "routes" | "learn" | "complexity" | "voters" | "vote";

/** Which options each kind reads (electron/engine/conversation/protocols/README.md). */
const READS: Record<ProtocolKind, readonly Option[]> = {
  roundtable: ["rounds", "chair", "stopWhen", "voters", "vote"],
  debate: ["rounds", "chair", "voters", "vote"],
  pipeline: ["steps"],
  parallel: ["chair"],
  validate: ["producer", "validator", "corrector", "maxAttempts"],
  route: ["routes", "learn", "complexity"],
  compare: ["voters", "vote"],
};

const CHAIR_LABEL: Partial<Record<ProtocolKind, string>> = { debate: "Judge", parallel: "Merger" };

export function ProtocolSection() {
  const kindValue = useDraftValue(["protocol", "kind"]);
  const kind = ProtocolKind.safeParse(kindValue).data ?? "roundtable";
  const roles = useExperimentDraft(useShallow((s) => draftRoleNames(s.draft)));
  const [everything, setEverything] = useState(false);
  const shows = (o: Option): boolean => everything || READS[kind].includes(o);
  const p = (key: string) => ["protocol", key] as const;
  return (
    <Section
      title="Protocol"
      actions={
        <label className="check small">
          <input type="checkbox" checked={everything} onChange={(e) => setEverything(e.target.checked)} />
          Show options of every kind
        </label>
      }
    >
      <FieldIssues path={["protocol"]} />
      <div className="row wrap">
        <SelectField path={p("kind")} label="Protocol kind" options={ProtocolKind.options} />
        {shows("rounds") && <NumberField path={p("rounds")} label="Rounds" step={1} min={1} max={50} placeholder="2" />}
        {shows("chair") && <SelectField path={p("chair")} label={CHAIR_LABEL[kind] ?? "Chair"} options={roles} emptyLabel="default (first role)" />}
        {shows("stopWhen") && <StopEarly />}
        {shows("maxAttempts") && <NumberField path={p("maxAttempts")} label="Max attempts" step={1} min={1} max={20} placeholder="3" />}
        {shows("vote") && <TriStateField path={p("vote")} label="Vote" defaultText={kind === "roundtable" || kind === "debate" || kind === "compare" ? "on" : "off"} />}
        {shows("learn") && <TriStateField path={p("learn")} label="Learn from recorded sessions" defaultText="off" />}
      </div>
      <div className="row wrap">
        {shows("producer") && <SelectField path={p("producer")} label="Producer" options={roles} emptyLabel="default (first role)" />}
        {shows("validator") && <SelectField path={p("validator")} label="Validator" options={roles} emptyLabel="default (last role)" />}
        {shows("corrector") && <SelectField path={p("corrector")} label="Corrector" options={roles} emptyLabel="default (the producer)" />}
      </div>
      {shows("steps") && <Steps roles={roles} />}
      {shows("voters") && <NameChecklist path={p("voters")} label="Voters" names={roles} hint="None ticked: every role votes (never on its own message)." />}
      {shows("routes") && (
        <ListEditor
          path={p("routes")}
          label="Routes"
          itemLabel="Route"
          blank={() => ({ pattern: "", role: roles[0] ?? "" })}
          hint="Tried in order: the first whose regular expression matches the task picks the role."
          fields={(i) => (
            <>
              <TextFieldInline path={["protocol", "routes", i, "pattern"]} label={`Route ${i + 1} pattern`} />
              <SelectField path={["protocol", "routes", i, "role"]} label={`Route ${i + 1} role`} options={roles} />
            </>
          )}
        />
      )}
      {shows("complexity") && (
        <ListEditor
          path={p("complexity")}
          label="Complexity bands"
          itemLabel="Band"
          blank={() => ({ upTo: 1, role: roles[0] ?? "" })}
          hint="When no route matches: the first band whose limit is at least the task's score (0..1) picks the role."
          fields={(i) => (
            <>
              <NumberField path={["protocol", "complexity", i, "upTo"]} label={`Band ${i + 1} up to`} step={0.05} min={0} max={1} />
              <SelectField path={["protocol", "complexity", i, "role"]} label={`Band ${i + 1} role`} options={roles} />
            </>
          )}
        />
      )}
    </Section>
  );
}

/** roundtable: stop once every critique of a round agrees, or run every round. */
function StopEarly() {
  const value = useDraftValue(["protocol", "stopWhen"]);
  const set = useExperimentDraft((s) => s.setAt);
  return (
    <div className="field checkbox-field">
      <label className="row">
        <input type="checkbox" checked={value !== "rounds"} onChange={(e) => set(["protocol", "stopWhen"], e.target.checked ? "consensus" : "rounds")} />
        Stop early on consensus
      </label>
      <FieldIssues path={["protocol", "stopWhen"]} />
    </div>
  );
}

/** pipeline: the roles in order (a role may appear twice). */
function Steps({ roles }: { roles: string[] }) {
  const value = useDraftValue(["protocol", "steps"]);
  const steps = Array.isArray(value) ? value : [];
  const set = useExperimentDraft((s) => s.setAt);
  const explicit = value !== undefined;
  return (
    <fieldset className="field">
      <legend>Steps</legend>
      {!explicit && <small className="muted">Default: every role once, in role order.</small>}
      {steps.map((_, i) => (
        <div className="row" key={i}>
          <SelectField path={["protocol", "steps", i]} label={`Step ${i + 1}`} options={roles} />
          <button type="button" className="icon-btn" aria-label={`Remove step ${i + 1}`} onClick={() => set(["protocol", "steps"], steps.length > 1 ? steps.filter((__, j) => j !== i) : undefined)}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => set(["protocol", "steps"], [...steps, roles[steps.length % Math.max(1, roles.length)] ?? ""])}>
        Add step
      </button>
      <FieldIssues path={["protocol", "steps"]} />
    </fieldset>
  );
}

/** A plain text input for list rows, where an empty value stays (the schema then names the problem). */
function TextFieldInline({ path, label }: { path: readonly (string | number)[]; label: string }) {
  const value = useDraftValue(path);
  const set = useExperimentDraft((s) => s.setAt);
  return (
    <div className="field">
      <label>
        <span>{label}</span>
        <input className="input" value={typeof value === "string" ? value : ""} onChange={(e) => set(path, e.target.value)} />
      </label>
      <FieldIssues path={path} />
    </div>
  );
}
