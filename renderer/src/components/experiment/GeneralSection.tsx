/** Title, task, seed and the message types free turns may use. */
import { MessageType } from "../../../../shared/conversation.js";
import { NameChecklist, NumberField, Section, TextField } from "./fields";

export function GeneralSection() {
  return (
    <Section title="Experiment">
      <TextField path={["title"]} label="Title" placeholder="optional: the task's opening words by default" />
      <TextField path={["task"]} label="Task" multiline placeholder="The prompt the committee works on" />
      <div className="row wrap">
        <NumberField path={["seed"]} label="Seed" step={1} min={0} placeholder="random" hint="Fixes every turn's seed and every shuffle; stored with the session either way." />
      </div>
      <NameChecklist
        path={["types"]}
        label="Message types in free turns"
        names={MessageType.options.filter((t) => t !== "retrieved")}
        hint="None ticked: each protocol step's own defaults."
      />
    </Section>
  );
}
