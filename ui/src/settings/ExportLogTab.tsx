import { formatDateTime } from "../shared/format";
import { segmentName } from "./export-log";
import { useExportLog } from "./use-export-log";
import { t } from "../i18n";

export function ExportLogTab() {
  const { entries, error } = useExportLog();
  const x = t.exportLog;
  return (
    <section>
      <h3>{t.settings.tabs.exports}</h3>
      <p className="muted">{x.lead}</p>
      {error && <p className="error">{error}</p>}
      {entries?.length === 0 && <p className="muted">{x.empty}</p>}
      {entries && entries.length > 0 && (
        <table className="settings-table" data-testid="export-log">
          <thead>
            <tr>
              <th>{x.at}</th>
              <th>{x.who}</th>
              <th>{x.role}</th>
              <th>{x.kind}</th>
              <th>{x.file}</th>
              <th>{x.people}</th>
              <th>{x.segment}</th>
              <th>{x.sha256}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid={`export-${e.id}`}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.staff_name}</td>
                <td>{e.role}</td>
                <td>{x.kinds[e.kind]}</td>
                <td className="mono">{e.file_name}</td>
                <td>{e.people}</td>
                <td title={e.segment}>{segmentName(e.segment)}</td>
                <td className="mono" title={e.sha256}>
                  {e.sha256.slice(0, 12)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
