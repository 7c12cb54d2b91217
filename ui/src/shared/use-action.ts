// The one place where a failed call to Rust becomes what the office reads:
// every screen runs its calls through useAction(), shows `error` where it
// shows errors, and `fieldErrors` beside the fields a validation named.
import { useCallback, useState } from "react";
import { ApiError, messageOf } from "./api";
import { t } from "../i18n";

export type Action = ReturnType<typeof useAction>;

/** A validation error names fields; anything else is one message. */
export function describeFailure(error: unknown): { error: string | null; fieldErrors: Record<string, string> } {
  if (error instanceof ApiError && error.fields.length > 0) return { error: null, fieldErrors: error.fieldMessages() };
  return { error: messageOf(error, t.errors.unexpected), fieldErrors: {} };
}

export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  /** Shows a failure; also the rejection handler of reads started in an effect. */
  const fail = useCallback((e: unknown) => {
    const failure = describeFailure(e);
    setError(failure.error);
    setFieldErrors(failure.fieldErrors);
  }, []);

  const clear = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);

  /** Runs `work` with the last failure cleared and `busy` set; resolves to
   * its result, or to undefined once its failure is shown. */
  const run = useCallback(
    <T>(work: () => Promise<T>): Promise<T | undefined> => {
      clear();
      setBusy(true);
      return work()
        .catch((e: unknown) => {
          fail(e);
          return undefined;
        })
        .finally(() => setBusy(false));
    },
    [clear, fail],
  );

  return { error, fieldErrors, busy, run, fail, clear };
}
