/** A problem found in a parsed experiment: where (a field path such as `swaps[0].role`) and why. */
export interface ExperimentIssue {
  path: string;
  message: string;
}
