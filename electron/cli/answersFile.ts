/**
 * `conclave run --answers FILE`: the researcher's turns and decisions, one JSON object a line
 * (shared/human.ts `HumanAnswer`), fed in order so a human-in-the-loop experiment can be replayed in
 * CI or by a reviewer. Every bad line is reported with its file, line number, field and reason.
 */
import { readFile } from "node:fs/promises";
import { HumanAnswer } from "../../shared/human.js";
import { fieldPath } from "../../shared/experiment.js";

/** A file of answers that cannot be used, with every problem found. */
export class AnswersFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "AnswersFileError";
  }
}

/** Parses answers JSONL text (blank lines and lines starting with `//` are skipped). */
export function parseAnswers(text: string, file: string): HumanAnswer[] {
  const answers: HumanAnswer[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("//")) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      problems.push(`line ${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const parsed = HumanAnswer.safeParse(json);
    if (parsed.success) answers.push(parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => `line ${i + 1}: ${fieldPath(issue.path)}: ${issue.message}`));
  });
  if (problems.length > 0) throw new AnswersFileError(file, problems);
  return answers;
}

/** Reads and parses an answers file. */
export async function readAnswers(file: string): Promise<HumanAnswer[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new AnswersFileError(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  return parseAnswers(text, file);
}
