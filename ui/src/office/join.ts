// Joining an office from the keyboard: the pairing code as it is typed
// (full-width, lower case, spaces, read off a screen) shown in the hub's
// form 123456-ABCD-EFGH, and where the progress bar stands.
import type { JoinStep } from "../shared/api";

const DIGITS = 6;
const LETTERS = 8;

/** Full-width ASCII (１２３ＡＢＣ) as the half-width a code is written in. */
const narrow = (text: string) => text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** The code's characters only, in upper case. */
const bare = (text: string) =>
  narrow(text)
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .slice(0, DIGITS + LETTERS);

/** The code as typed so far, in the form the hub shows it. */
export function normalizeCode(text: string): string {
  const c = bare(text);
  return [c.slice(0, DIGITS), c.slice(DIGITS, DIGITS + 4), c.slice(DIGITS + 4)].filter(Boolean).join("-");
}

/** Whether a whole code has been typed (the hub checks the rest). */
export const codeComplete = (text: string) => bare(text).length === DIGITS + LETTERS;

export const JOIN_STEPS: JoinStep[] = ["pairing", "downloading", "switching"];

/** Each step of joining as done, under way or still to come. */
export function stepState(current: JoinStep | null, step: JoinStep): "done" | "current" | "todo" {
  const at = current === null ? -1 : JOIN_STEPS.indexOf(current);
  const index = JOIN_STEPS.indexOf(step);
  return index < at ? "done" : index === at ? "current" : "todo";
}
