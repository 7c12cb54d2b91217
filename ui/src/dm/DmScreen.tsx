import { useSegments } from "./use-segments";
import { useMailings } from "./use-mailings";
import { SegmentBuilder, SegmentNav } from "./SegmentBuilder";
import { ExportPanel } from "./ExportPanel";
import { MailingHistory } from "./MailingHistory";

/** Segments (built, counted live, saved), the DM list that leaves the office, and the lists sent. */
export function DmScreen() {
  const segments = useSegments();
  const history = useMailings();
  return (
    <div className="dm-screen" data-testid="dm-screen">
      <SegmentNav s={segments} />
      <div className="settings-body">
        <SegmentBuilder s={segments} />
        <ExportPanel segmentName={segments.editing.name} filter={segments.editing.filter} onExported={() => void history.refresh()} />
        <MailingHistory history={history} />
      </div>
    </div>
  );
}
