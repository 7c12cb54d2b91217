// The print formats' part of the export panel: the label sheets and the
// office's saved print options (from Rust), the first page's preview, saving
// the options, and opening the written PDF. It runs through the export
// panel's action, so its failures show where the panel shows errors.
import { useEffect, useState } from "react";
import { call, commands, type ExportRequest, type PrintOptions, type Sheet } from "../shared/api";
import type { Action } from "../shared/use-action";
import { t } from "../i18n";

export type Print = ReturnType<typeof usePrint>;

export function usePrint(
  action: Pick<Action, "run" | "fail">,
  options: PrintOptions,
  setOptions: (options: PrintOptions) => void,
  request: () => Promise<ExportRequest>,
) {
  const { run, fail } = action;
  const [sheets, setSheets] = useState<Sheet[]>([]);
  const [image, setImage] = useState<{ options: PrintOptions; url: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // The office's saved choice (with this PC's printer offsets) is where the form starts.
  useEffect(() => {
    call(commands.printSetup()).then((setup) => {
      setSheets(setup.sheets);
      setOptions(setup.options);
    }, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the panel opens
  }, [fail]);

  function change(patch: Partial<PrintOptions>) {
    setOptions({ ...options, ...patch });
    setMessage(null);
  }

  const preview = () =>
    run(async () => {
      const url = await call(commands.printPreview(await request()));
      setImage({ options, url });
    });

  const save = () =>
    run(async () => {
      await call(commands.savePrintOptions(options));
      setMessage(t.dm.print.saved);
    });

  const openPdf = (file: string) => run(() => call(commands.openWrittenFile(file)));

  // A preview drawn with other options no longer shows the print.
  const previewUrl = image?.options === options ? image.url : null;

  return { options, sheets, previewUrl, message, change, preview, save, openPdf };
}
