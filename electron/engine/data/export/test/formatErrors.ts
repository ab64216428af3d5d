/**
 * The format checkers' message-only forms, for tests: what was wrong with a record, as the strings
 * a failing assertion shows. The exporter itself uses the `…Issues` forms, which also carry the kind.
 */
import type { ExportIssue } from "../../../../../shared/exportReport.js";
import { alpacaIssues, openAIChatIssues, openAIDpoIssues, sessionJsonIssues, shareGptIssues, trlPreferenceIssues } from "../formatValidators.js";

const messages = (issues: ExportIssue[]): string[] => issues.map((i) => i.message);

/** Messages only. */
export const openAIChatErrors = (r: unknown): string[] => messages(openAIChatIssues(r));
/** Messages only. */
export const shareGptErrors = (r: unknown, preference = false): string[] => messages(shareGptIssues(r, preference));
/** Messages only. */
export const alpacaErrors = (r: unknown, preference = false): string[] => messages(alpacaIssues(r, preference));
/** Messages only. */
export const trlPreferenceErrors = (r: unknown): string[] => messages(trlPreferenceIssues(r));
/** Messages only. */
export const openAIDpoErrors = (r: unknown): string[] => messages(openAIDpoIssues(r));
/** Messages only. */
export const sessionJsonErrors = (doc: unknown): string[] => messages(sessionJsonIssues(doc));
