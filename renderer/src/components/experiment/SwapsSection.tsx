/** Scheduled hot swaps: "before round k, role X → model Y". */
import { draftRoleNames } from "../../lib/experimentDraft";
import { useShallow } from "zustand/react/shallow";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useLibrary } from "../../stores/libraryStore";
import { NumberField, Section, SelectField } from "./fields";
import { ListEditor } from "./ListEditor";
import { ModelField } from "./ModelField";

export function SwapsSection() {
  const roles = useExperimentDraft(useShallow((s) => draftRoleNames(s.draft)));
  const firstModel = useLibrary((s) => s.library?.models.find((m) => m.identity)?.ref ?? "");
  return (
    <Section title="Scheduled swaps">
      <ListEditor
        path={["swaps"]}
        label="Swaps"
        itemLabel="Swap"
        hint="Applied before the round starts; the role keeps its history across the swap."
        blank={() => ({ atRound: 2, role: roles[0] ?? "", model: firstModel })}
        fields={(i) => (
          <>
            <NumberField path={["swaps", i, "atRound"]} label={`Swap ${i + 1} at round`} step={1} min={1} />
            <SelectField path={["swaps", i, "role"]} label={`Swap ${i + 1} role`} options={roles} />
            <ModelField path={["swaps", i, "model"]} label={`Swap ${i + 1} model`} />
          </>
        )}
      />
    </Section>
  );
}
