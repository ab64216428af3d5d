/**
 * Which validation errors the experiment editor shows. A blank form is not a wrong one: an error is
 * shown once its field (or a field inside it) has been touched, or once the whole draft is revealed
 * (submitted, imported, opened from a session, or edited as source). The rest are still counted, in
 * neutral words, so the disabled "Start session" button is never unexplained.
 */
import type { ExperimentIssue } from "../../../shared/experiment.js";

/** The errors split into those to show in red and those whose fields nobody has touched yet. */
export interface IssueVisibility {
  shown: ExperimentIssue[];
  pending: ExperimentIssue[];
}

/** True when `path` is `touched` itself or lies inside it (`roles[0].model` inside `roles[0]`). */
function within(path: string, touched: string): boolean {
  return path === touched || path.startsWith(`${touched}.`) || path.startsWith(`${touched}[`);
}

export function issueVisibility(errors: readonly ExperimentIssue[], touched: readonly string[], revealed: boolean): IssueVisibility {
  if (revealed) return { shown: [...errors], pending: [] };
  const shown: ExperimentIssue[] = [];
  const pending: ExperimentIssue[] = [];
  for (const issue of errors) (touched.some((t) => within(issue.path, t)) ? shown : pending).push(issue);
  return { shown, pending };
}
