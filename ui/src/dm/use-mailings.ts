// The DM lists already sent: read at start and again after every export.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type Mailing } from "../shared/api";
import { useAction } from "../shared/use-action";

export type Mailings = ReturnType<typeof useMailings>;

export function useMailings() {
  const { error, fail } = useAction();
  const [mailings, setMailings] = useState<Mailing[]>([]);
  const refresh = useCallback(() => call(commands.listMailings()).then(setMailings, fail), [fail]);
  useEffect(() => void refresh(), [refresh]);
  return { mailings, error, refresh };
}
