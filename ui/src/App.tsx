import { useCallback, useEffect, useState } from "react";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { call, commands, type AppStatus, type CustomerQuery, type SessionInfo } from "./shared/api";
import { useAction } from "./shared/use-action";
import { LedgerProvider, isLocked, useLedger } from "./shared/ledger-context";
import { useIdleLock } from "./shared/use-idle-lock";
import { SignInScreen } from "./signin/SignInScreen";
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
import { InboxScreen } from "./office/InboxScreen";
import { SyncBanner } from "./office/SyncState";
import { useOfficeSync } from "./office/use-office-sync";

export type View = "today" | "inbox" | "customers" | "requests" | "dm" | "import" | "analytics" | "settings" | "duplicates";
/** A customer is opened on a tab when a screen asks for one (アフター from the requests). */
export type Selection = { kind: "none" } | { kind: "new" } | { kind: "customer"; id: number; tab?: DetailTab };

export function App() {
  const [loaded, setLoaded] = useState<{ status: AppStatus; session: SessionInfo | null } | null>(null);
  const { error, fail } = useAction();

  // The session is asked for whenever the ledger is open: while it is locked
  // (sign-in on, nobody signed in) every other command is refused.
  const load = useCallback(
    () =>
      commands
        .appStatus()
        .then(async (status) => ({ status, session: status.open_error ? null : await call(commands.sessionInfo()) }))
        .then(setLoaded, fail),
    [fail],
  );

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <div className="center-message error">{error}</div>;
  if (!loaded) return <div className="center-message">{t.app.loading}</div>;
  const { status, session } = loaded;
  if (session && isLocked(session)) return <SignInScreen onSignedIn={load} />;
  if (status.open_error || !status.settings || !session) {
    return <OpenError status={status} onRestored={load} />;
  }
  // An office that turned sign-in on has set its ledger up (staff, roles,
  // PINs): the first-run questions are for a ledger nobody has set up yet.
  if (!status.settings.first_run_done && !session.sign_in_required) return <FirstRun onDone={load} />;
  return (
    <LedgerProvider initial={status.settings} initialSession={session} onLocked={load}>
      <Main ledgerPath={status.ledger_path} />
    </LedgerProvider>
  );
}

function Main({ ledgerPath }: { ledgerPath: string }) {
  const [view, setView] = useState<View>("today");
  const [query, setQuery] = useState<CustomerQuery>(emptyQuery);
  const [selection, setSelection] = useState<Selection>({ kind: "none" });
  const [droppedFile, setDroppedFile] = useState<string | null>(null);
  const { session, may, lock } = useLedger();
  const mayImport = may("import");
  const office = useOfficeSync();
  useIdleLock(session.sign_in_required ? session.idle_lock_minutes : null, () => void lock());

  // A roster dropped anywhere on the window opens the import screen with it
  // (for the roles that may import).
  useEffect(() => {
    const unlisten = getCurrentWebview().onDragDropEvent((event) => {
      if (mayImport && event.payload.type === "drop" && event.payload.paths.length > 0) {
        setView("import");
        setDroppedFile(event.payload.paths[0]);
      }
    });
    return () => void unlisten.then((stop) => stop());
  }, [mayImport]);

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
        office={office}
      />
      <SyncBanner office={office} />
      {view === "settings" && <SettingsScreen ledgerPath={ledgerPath} />}
      {view === "import" && mayImport && <ImportScreen key={droppedFile} droppedFile={droppedFile} />}
      {view === "dm" && <DmScreen />}
      {view === "today" && <TodayScreen onOpen={openCustomer} />}
      {view === "inbox" && <InboxScreen onOpen={openCustomer} />}
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
              onInbox={() => setView("inbox")}
            />
          )}
        </div>
      )}
    </div>
  );
}
