import type { Digits, Sheet } from "../shared/api";
import { OptionsOf } from "../shared/Inputs";
import { chosenSheet } from "./export";
import type { Print } from "./use-print";
import { t } from "../i18n";

const CUSTOM_FIELDS: [keyof Sheet, string][] = [
  ["columns", t.dm.print.columns],
  ["rows", t.dm.print.rows],
  ["label_width", t.dm.print.labelWidth],
  ["label_height", t.dm.print.labelHeight],
  ["left", t.dm.print.left],
  ["top", t.dm.print.top],
  ["pitch_x", t.dm.print.pitchX],
  ["pitch_y", t.dm.print.pitchY],
];

/** The sheet, layout, sender and printer of a label or postcard print, and its first page. */
export function PrintPanel({ p, postcard }: { p: Print; postcard: boolean }) {
  const o = p.options;
  const sheet = chosenSheet(o, p.sheets);
  const labels = sheet.columns * sheet.rows;
  return (
    <div className="print-panel" data-testid="print-panel">
      <h3>{t.dm.print.title}</h3>
      {postcard ? (
        <div className="add-row wrap">
          <label className="inline-field">
            {t.dm.print.direction}
            <select
              data-testid="print-direction"
              value={o.horizontal ? "h" : "v"}
              onChange={(e) => p.change({ horizontal: e.target.value === "h" })}
            >
              <option value="v">{t.dm.print.vertical}</option>
              <option value="h">{t.dm.print.horizontal}</option>
            </select>
          </label>
          <label className="inline-field">
            {t.dm.print.digits}
            <select data-testid="print-digits" value={o.digits} onChange={(e) => p.change({ digits: e.target.value as Digits })}>
              <OptionsOf labels={t.dm.print.digitChoices} />
            </select>
          </label>
          <label className="inline-field">
            {t.dm.print.senderName}
            <input
              data-testid="print-sender-name"
              value={o.sender.name}
              onChange={(e) => p.change({ sender: { ...o.sender, name: e.target.value } })}
            />
          </label>
          <label className="inline-field">
            {t.dm.print.senderPostal}
            <input
              data-testid="print-sender-postal"
              value={o.sender.postal_code}
              onChange={(e) => p.change({ sender: { ...o.sender, postal_code: e.target.value } })}
            />
          </label>
          <label className="inline-field">
            {t.dm.print.senderAddress}
            <input
              data-testid="print-sender-address"
              value={o.sender.address}
              onChange={(e) => p.change({ sender: { ...o.sender, address: e.target.value } })}
            />
          </label>
          <label className="inline-field">
            {t.dm.print.senderPhone}
            <input
              data-testid="print-sender-phone"
              value={o.sender.phone}
              onChange={(e) => p.change({ sender: { ...o.sender, phone: e.target.value } })}
            />
          </label>
        </div>
      ) : (
        <div className="add-row wrap">
          <label className="inline-field">
            {t.dm.print.sheet}
            <select data-testid="print-sheet" value={o.sheet} onChange={(e) => p.change({ sheet: e.target.value, start_at: 1 })}>
              {p.sheets.map((s) => (
                <option key={s.name} value={s.name} title={s.products}>
                  {s.name}
                </option>
              ))}
              <option value="custom">{t.dm.print.custom}</option>
            </select>
          </label>
          <label className="inline-field">
            {t.dm.print.startAt(labels)}
            <input
              type="number"
              data-testid="print-start-at"
              min={1}
              max={labels}
              value={o.start_at}
              onChange={(e) => p.change({ start_at: Math.min(Math.max(1, Number(e.target.value) || 1), labels) })}
            />
          </label>
          {o.sheet === "custom" &&
            CUSTOM_FIELDS.map(([key, label]) => (
              <label className="inline-field" key={key}>
                {label}
                <input
                  type="number"
                  step={key === "columns" || key === "rows" ? 1 : 0.1}
                  min={key === "columns" || key === "rows" ? 1 : 0}
                  data-testid={`print-custom-${key}`}
                  value={o.custom[key] as number}
                  onChange={(e) => p.change({ custom: { ...o.custom, [key]: Number(e.target.value) } })}
                />
              </label>
            ))}
        </div>
      )}
      <div className="add-row wrap">
        <label className="inline-field">
          {t.dm.print.printer}
          <input data-testid="print-printer" value={o.printer} onChange={(e) => p.change({ printer: e.target.value })} />
        </label>
        <label className="inline-field">
          {t.dm.print.offsetX}
          <input
            type="number"
            step={0.5}
            min={-20}
            max={20}
            data-testid="print-offset-x"
            value={o.offset_x}
            onChange={(e) => p.change({ offset_x: Number(e.target.value) })}
          />
        </label>
        <label className="inline-field">
          {t.dm.print.offsetY}
          <input
            type="number"
            step={0.5}
            min={-20}
            max={20}
            data-testid="print-offset-y"
            value={o.offset_y}
            onChange={(e) => p.change({ offset_y: Number(e.target.value) })}
          />
        </label>
        <label className="check">
          <input type="checkbox" data-testid="print-frames" checked={o.frames} onChange={(e) => p.change({ frames: e.target.checked })} />
          {t.dm.print.frames}
        </label>
        <button data-testid="print-save" onClick={() => void p.save()}>
          {t.dm.print.save}
        </button>
        <button data-testid="print-preview-button" onClick={() => void p.preview()}>
          {t.dm.print.preview}
        </button>
      </div>
      {p.message && <p className="muted">{p.message}</p>}
      <p className="muted" data-testid="print-actual-size">
        {t.dm.print.actualSize}
      </p>
      {p.previewUrl && (
        <img
          data-testid="print-preview"
          src={p.previewUrl}
          alt={t.dm.print.previewAlt}
          style={{ width: postcard ? 300 : 420, border: "1px solid #ccc", display: "block" }}
        />
      )}
    </div>
  );
}
