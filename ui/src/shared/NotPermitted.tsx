import type { Need } from "./api";
import { notPermittedText } from "./access";
import { useLedger } from "./ledger-context";

/** The line shown where a button is hidden: who may do it instead. */
export function NotPermitted({ need }: { need: Need }) {
  const { rules } = useLedger();
  const text = notPermittedText(rules, need);
  if (!text) return null;
  return (
    <p className="muted small not-permitted" data-testid={`not-permitted-${need}`}>
      {text}
    </p>
  );
}
