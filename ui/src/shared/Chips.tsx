import type { Grade, Label, Status } from "./api";

export function StatusChip({ status }: { status: Status | undefined }) {
  if (!status) return null;
  return (
    <span className="chip status-chip" style={{ borderColor: status.color, color: status.color }}>
      {status.name}
    </span>
  );
}

export function GradeChip({ grade }: { grade: Grade | null }) {
  if (!grade) return null;
  return <span className={`chip grade grade-${grade}`}>{grade}</span>;
}

export function LabelChip({ label }: { label: Label | undefined }) {
  if (!label) return null;
  return (
    <span className="chip label-chip" style={{ background: label.color }}>
      {label.name}
    </span>
  );
}
