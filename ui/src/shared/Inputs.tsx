// Pieces every form repeats: a labelled control (or input) with the
// validation error useAction() put beside it, and the <option>s of a
// value → label table from ja.ts. The markup is the one the styles and the
// end-to-end tests read (.field-error, the testids passed through).
import type { InputHTMLAttributes, ReactNode } from "react";

/** What frames a control: its label, the label's class and the field's error. */
type Frame = { label: ReactNode; error?: string; errorTestId?: string; className?: string };

/** A control under its label, with the field's error (if any) below it. */
export function LabelledField({ label, error, errorTestId, className, children }: Frame & { children: ReactNode }) {
  return (
    <label className={className}>
      {label}
      {children}
      {error && (
        <span className="field-error" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </label>
  );
}

/** A labelled input that reads as invalid (and says why) while its field has an error. */
export function InputField({
  label,
  error,
  errorTestId,
  className,
  onChange,
  ...input
}: Frame & { onChange: (value: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "className">) {
  return (
    <LabelledField label={label} error={error} errorTestId={errorTestId} className={className}>
      <input {...input} onChange={(e) => onChange(e.target.value)} aria-invalid={Boolean(error)} />
    </LabelledField>
  );
}

/** One <option> per entry of `labels`, in its order: the value is the key, the text its label. */
export function OptionsOf({ labels }: { labels: Record<string, string> }) {
  return Object.entries(labels).map(([value, label]) => (
    <option key={value} value={value}>
      {label}
    </option>
  ));
}
