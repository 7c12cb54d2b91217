// The column templates and the checks' settings, both saved in the ledger.
import { useEffect, useState } from "react";
import { call, commands, type CheckOptions, type Column, type Template } from "../shared/api";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export function useTemplates() {
  const action = useAction();
  const { run, fail } = action;
  const [templates, setTemplates] = useState<Template[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => void call(commands.listTemplates()).then(setTemplates, fail), [fail]);

  const saveTemplate = (name: string, columns: Column[]) =>
    run(async () => {
      await call(commands.saveTemplate({ name, columns }));
      setTemplates(await call(commands.listTemplates()));
      setMessage(t.dm.templateSaved);
    });

  return { ...action, templates, message, saveTemplate };
}

export function useSaveChecks() {
  const action = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const saveChecks = (options: CheckOptions) =>
    action.run(async () => {
      await call(commands.saveCheckOptions(options));
      setMessage(t.dm.checksSaved);
    });
  return { ...action, message, saveChecks };
}
