import { useSegments } from "./use-segments";
import { useMailings } from "./use-mailings";
import { SegmentBuilder, SegmentNav } from "./SegmentBuilder";
import { ExportPanel } from "./ExportPanel";
import { MailingHistory } from "./MailingHistory";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { t } from "../i18n";

/** Segments (built, counted live, saved), the DM list that leaves the office, and the lists sent. */
export function DmScreen() {
  const segments = useSegments();
  const history = useMailings();
  const { may } = useLedger();
  return (
    <div className="dm-screen" data-testid="dm-screen">
      <SegmentNav s={segments} />
      <div className="settings-body">
        <SegmentBuilder s={segments} />
        {may("export") ? (
          <ExportPanel segmentName={segments.editing.name} filter={segments.editing.filter} onExported={() => void history.refresh()} />
        ) : (
          <section>
            <h3>{t.dm.exportTitle}</h3>
            <NotPermitted need="export" />
          </section>
        )}
        <MailingHistory history={history} />
      </div>
    </div>
  );
}
