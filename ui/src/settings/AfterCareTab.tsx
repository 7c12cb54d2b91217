import type { ListEntry, RequestList, RequestSettings } from "../shared/api";
import { STATUTORY_CATEGORIES, STATUTORY_YEARS } from "../shared/api";
import { ListSection, TextCell } from "./ListTabs";
import { REQUEST_LISTS, useAfterCareSettings, type AfterCareSettings, type Place } from "./use-after-care-settings";
import { yearsOf } from "./after-care";
import { t } from "../i18n";

const a = t.afterCare;

/** Settings → アフター: the lists a request is sorted by, the office's own
 * warranty per category, and the DM lists' exclusion of open requests. */
export function AfterCareTab() {
  const s = useAfterCareSettings();
  const { settings } = s;
  return (
    <div className="settings-section" data-testid="aftercare-settings">
      {s.loadError && <p className="error">{s.loadError}</p>}
      {REQUEST_LISTS.map((list) => (
        <div key={list} data-testid={`aftercare-list-${list}`}>
          <ListSection
            title={a.lists[list]}
            error={s.errorAt(list)}
            addLabel={a.add[list]}
            onAdd={(name) => s.saveEntry(list, { id: null, name, retired: false })}
          >
            <EntryTable s={s} list={list} />
            {list === "category" && (
              <>
                <p className="muted small">{a.warrantyHint(STATUTORY_CATEGORIES, STATUTORY_YEARS)}</p>
                <Outcome s={s} place="warranty" />
              </>
            )}
          </ListSection>
        </div>
      ))}
      <h3>{a.dmTitle}</h3>
      {settings && (
        <label className="check">
          <input
            type="checkbox"
            checked={settings.exclude_open_from_dm}
            onChange={(e) => void s.setExcludeOpen(e.target.checked)}
            data-testid="aftercare-dm-exclude"
          />
          {a.dmExclude}
        </label>
      )}
      <Outcome s={s} place="dm" />
    </div>
  );
}

/** One list: each entry renamed in place or retired; categories also carry the office's warranty. */
function EntryTable({ s, list }: { s: AfterCareSettings; list: RequestList }) {
  const withWarranty = list === "category";
  return (
    <table className="settings-table" data-testid={`aftercare-table-${list}`}>
      <thead>
        <tr>
          <th>{a.name}</th>
          {withWarranty && <th>{a.warranty}</th>}
          <th>{a.retired}</th>
        </tr>
      </thead>
      <tbody>
        {s.lists[list].map((entry) => (
          <tr key={entry.id} className={entry.retired ? "retired" : undefined}>
            <TextCell value={entry.name} onSave={(name) => void s.saveEntry(list, { ...entry, name })} />
            {withWarranty && s.settings && <WarrantyCell s={s} settings={s.settings} entry={entry} />}
            <td>
              <input
                type="checkbox"
                checked={entry.retired}
                onChange={(e) => void s.saveEntry(list, { ...entry, retired: e.target.checked })}
                aria-label={a.retired}
                data-testid={`aftercare-retire-${list}-${entry.id}`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The office's years for a category, saved when the field is left changed;
 * the law's 10 years shown beside the categories it covers. */
function WarrantyCell({ s, settings, entry }: { s: AfterCareSettings; settings: RequestSettings; entry: ListEntry }) {
  const years = yearsOf(settings, entry.name);
  const shown = years === null ? "" : String(years);
  return (
    <td>
      <input
        // A fresh field after each save shows the saved value, not the typed one.
        key={shown}
        className="years"
        type="number"
        min={1}
        max={100}
        defaultValue={shown}
        onBlur={(e) => e.target.value !== shown && void s.setYears(entry.name, e.target.value)}
        data-testid={`aftercare-warranty-${entry.id}`}
      />
      {(STATUTORY_CATEGORIES as readonly string[]).includes(entry.name) && (
        <span className="mark within">{a.statutory(STATUTORY_YEARS)}</span>
      )}
    </td>
  );
}

/** 保存しました, or why not, beside what was saved. */
function Outcome({ s, place }: { s: AfterCareSettings; place: Place }) {
  const error = s.errorAt(place);
  const notice = s.noticeAt(place);
  if (!error && !notice) return null;
  return (
    <p className={error ? "error" : "ok"} data-testid={`aftercare-${place}-message`}>
      {error ?? notice}
    </p>
  );
}
