// Search must not run while a Japanese IME is composing: the half-typed
// reading (やまd) would be sent as a query on every keystroke.
export interface ImeGuard {
  composing: boolean;
}

/** Decides whether an input event should update the query. */
export function shouldQuery(guard: ImeGuard, event: { isComposing?: boolean; type: string }): boolean {
  if (event.type === "compositionstart") {
    guard.composing = true;
    return false;
  }
  if (event.type === "compositionend") {
    guard.composing = false;
    return true;
  }
  return !guard.composing && !event.isComposing;
}
