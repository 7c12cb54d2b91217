import { useCallback, useEffect, useState } from "react";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { commands, type AppStatus, type CustomerQuery } from "./shared/api";
import { useAction } from "./shared/use-action";
import { LedgerProvider } from "./shared/ledger-context";
import { emptyQuery } from "./shared/query";
import { t } from "./i18n";
import { FirstRun } from "./settings/FirstRun";
import { OpenError } from "./settings/OpenError";
import { Header } from "./shared/Header";
import { Sidebar } from "./shared/Sidebar";
import { CustomerList } from "./customers/CustomerList";
import { CustomerDetail, type DetailTab } from "./customers/CustomerDetail";
import { SettingsScreen } from "./settings/SettingsScreen";
import { ImportScreen } from "./import/ImportScreen";
import { DmScreen } from "./dm/DmScreen";
import { TodayScreen } from "./today/TodayScreen";
import { AnalyticsScreen } from "./analytics/AnalyticsScreen";
import { DuplicatesScreen } from "./customers/DuplicatesScreen";
import { RequestsScreen } from "./requests/RequestsScreen";

export type View = "today" | "customers" | "requests" | "dm" | "import" | "analytics" | "settings" | "duplicates";
/** A customer is opened on a tab when a screen asks for one (アフター from the requests). */
export type Selection = { kind: "none" } | { kind: "new" } | { kind: "customer"; id: number; tab?: DetailTab };

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const { error, fail } = useAction();

  const load = useCallback(() => commands.appStatus().then(setStatus, fail), [fail]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <div className="center-message error">{error}</div>;
  if (!status) return <div className="center-message">{t.app.loading}</div>;
  if (status.open_error || !status.settings) {
    return <OpenError status={status} onRestored={load} />;
  }
  if (!status.settings.first_run_done) return <FirstRun onDone={load} />;
  return (
    <LedgerProvider initial={status.settings}>
      <Main ledgerPath={status.ledger_path} />
    </LedgerProvider>
  );
}

function Main({ ledgerPath }: { ledgerPath: string }) {
  const [view, setView] = useState<View>("today");
  const [query, setQuery] = useState<CustomerQuery>(emptyQuery);
  const [selection, setSelection] = useState<Selection>({ kind: "none" });
  const [droppedFile, setDroppedFile] = useState<string | null>(null);

  // A roster dropped anywhere on the window opens the import screen with it.
  useEffect(() => {
    const unlisten = getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === "drop" && event.payload.paths.length > 0) {
        setView("import");
        setDroppedFile(event.payload.paths[0]);
      }
    });
    return () => void unlisten.then((stop) => stop());
  }, []);

  function openCustomer(id: number, tab?: DetailTab) {
    setView("customers");
    setSelection({ kind: "customer", id, tab });
  }

  return (
    <div className="app">
      <Header
        view={view}
        onView={setView}
        onSearch={(text) => {
          setQuery((q) => ({ ...q, text }));
          if (text) setView("customers");
        }}
        onNew={() => {
          setView("customers");
          setSelection({ kind: "new" });
        }}
      />
      {view === "settings" && <SettingsScreen ledgerPath={ledgerPath} />}
      {view === "import" && <ImportScreen key={droppedFile} droppedFile={droppedFile} />}
      {view === "dm" && <DmScreen />}
      {view === "today" && <TodayScreen onOpen={openCustomer} />}
      {view === "requests" && <RequestsScreen onOpen={(id) => openCustomer(id, "requests")} />}
      {view === "analytics" && <AnalyticsScreen onOpen={openCustomer} />}
      {view === "duplicates" && <DuplicatesScreen onOpen={openCustomer} />}
      {view === "customers" && (
        <div className="workspace">
          <Sidebar query={query} onQuery={setQuery} onDuplicates={() => setView("duplicates")} />
          <CustomerList
            query={query}
            onQuery={setQuery}
            selectedId={selection.kind === "customer" ? selection.id : null}
            onSelect={(id) => setSelection({ kind: "customer", id })}
          />
          {selection.kind !== "none" && (
            <CustomerDetail
              key={selection.kind === "customer" ? `${selection.id}-${selection.tab ?? ""}` : "new"}
              id={selection.kind === "customer" ? selection.id : null}
              initialTab={selection.kind === "customer" ? selection.tab : undefined}
              onCreated={(id) => setSelection({ kind: "customer", id })}
              onClose={() => setSelection({ kind: "none" })}
              onOpen={(id) => setSelection({ kind: "customer", id })}
            />
          )}
        </div>
      )}
    </div>
  );
}
