// How the header says where this PC's work stands with the office hub, and
// when another PC's changes have arrived (the screen then reads again).
import type { SyncStatus } from "../shared/api";
import { t } from "../i18n";

const s = t.office.sync;

/** What the header shows: a short chip, and for trouble a line below it
 *  with what the office can do (and the reason as the app has it). */
export type SyncLine = {
  tone: "ok" | "offline" | "stopped";
  chip: string;
  /** The state in words, beside the chip (none while all is well). */
  state: string | null;
  /** What the person can do about it. */
  hint: string;
  /** The reason, as sync reported it. */
  reason: string | null;
  /** This PC's copy differs from the hub's: replacing it with the hub's
   *  copy is what fixes it (「親機の台帳に合わせる」). */
  repairable: boolean;
};

/** Null while the ledger is on its own (nothing to say). */
export function describeSync(status: SyncStatus): SyncLine | null {
  switch (status.state) {
    case "idle":
      return null;
    case "synced":
      return { tone: "ok", chip: s.synced(status.at), state: null, hint: s.syncedHint, reason: null, repairable: false };
    case "offline":
      return {
        tone: "offline",
        chip: status.unsent > 0 ? s.unsent(status.unsent) : s.offline,
        state: status.unsent > 0 ? s.offline : null,
        hint: s.offlineHint,
        reason: status.message || null,
        repairable: false,
      };
    case "stopped":
      return {
        tone: "stopped",
        chip: s.stopped,
        state: status.unsent > 0 ? s.unsent(status.unsent) : null,
        hint: status.code === "ledger_drifted" ? s.driftedHint : s.stoppedHint,
        reason: status.message,
        repairable: status.code === "ledger_drifted",
      };
  }
}

/** Whether the ledger is one of an office's (the header and the inbox show). */
export const inOffice = (status: SyncStatus) => status.state !== "idle";

/** Whether other PCs' changes came in since the last look. The count starts
 *  again when sync restarts (joining, leaving), which also calls for a read. */
export const arrived = (previous: number | null, next: number) => previous !== null && next !== previous;
