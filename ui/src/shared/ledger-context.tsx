// The lists every screen needs (statuses, labels, staff, counts, settings),
// loaded once and reloaded after a change.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import {
  ApiError,
  call,
  commands,
  type AccessRule,
  type Campaign,
  type ContactKind,
  type FollowUpSettings,
  type Label,
  type LedgerStats,
  type Need,
  type SessionInfo,
  type Settings,
  type Staff,
  type Status,
  type Today,
} from "./api";

export interface LedgerData {
  statuses: Status[];
  labels: Label[];
  staff: Staff[];
  stats: LedgerStats | null;
  settings: Settings;
  contactKinds: ContactKind[];
  campaigns: Campaign[];
  followUp: FollowUpSettings | null;
  /** Today's lists (their `due` is the count on the navigation), read
   * once per revision: the home screen shows these, never a second read. */
  today: Today | null;
  /** Bumped after every write, so lists know to fetch again. */
  revision: number;
  reload: () => Promise<void>;
  saveSettings: (settings: Settings) => Promise<void>;
  /** Who is acting and what they may do. */
  session: SessionInfo;
  /** Whether the person acting may do what `need` names: the UI hides the rest. */
  may: (need: Need) => boolean;
  /** Who may do what, for saying so where something is hidden. */
  rules: AccessRule[];
  /** Signs in as (or, sign-in off, switches to) a staff member. */
  switchStaff: (staffId: number, pin: string | null) => Promise<void>;
  /** Signs out: nobody acts until a sign-in (sign-in on). */
  lock: () => Promise<void>;
}

const Context = createContext<LedgerData | null>(null);

/** Whether a session is signed out: the app then shows only the sign-in screen. */
export const isLocked = (session: SessionInfo) => session.sign_in_required && session.acting === null;

export function LedgerProvider({
  initial,
  initialSession,
  onLocked,
  children,
}: {
  initial: Settings;
  initialSession: SessionInfo;
  /** Called once nobody is signed in any more (locked by hand or when idle). */
  onLocked: () => void;
  children: ReactNode;
}) {
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [labels, setLabels] = useState<Label[]>([]);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [stats, setStats] = useState<LedgerStats | null>(null);
  const [settings, setSettings] = useState<Settings>(initial);
  const [revision, setRevision] = useState(0);
  const [contactKinds, setContactKinds] = useState<ContactKind[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [followUp, setFollowUp] = useState<FollowUpSettings | null>(null);
  const [today, setToday] = useState<Today | null>(null);
  const [session, setSession] = useState<SessionInfo>(initialSession);
  const [rules, setRules] = useState<AccessRule[]>([]);

  // Signed out under the screen (a restored ledger without this person):
  // the sign-in screen, rather than an error on every list.
  const signedOut = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.code === "sign_in_required") onLocked();
      else throw e;
    },
    [onLocked],
  );

  const reload = useCallback(
    () =>
      Promise.all([
        call(commands.listStatuses()),
        call(commands.listLabels()),
        call(commands.listStaff()),
        call(commands.ledgerStats()),
        call(commands.listContactKinds()),
        call(commands.listCampaigns()),
        call(commands.getFollowUpSettings()),
        call(commands.today()),
        call(commands.sessionInfo()),
        call(commands.accessRules()),
      ]).then(([s, l, st, counts, kinds, camps, follow, lists, who, access]) => {
        setSession(who);
        setRules(access);
        setContactKinds(kinds);
        setCampaigns(camps);
        setFollowUp(follow);
        setToday(lists);
        setStatuses(s);
        setLabels(l);
        setStaff(st);
        setStats(counts);
        setRevision((r) => r + 1);
      }, signedOut),
    [signedOut],
  );

  const saveSettings = useCallback(async (next: Settings) => {
    setSettings(await call(commands.saveSettings(next)));
  }, []);

  const switchStaff = useCallback(
    async (staffId: number, pin: string | null) => {
      await call(commands.signIn(staffId, pin));
      await reload();
    },
    [reload],
  );

  const lock = useCallback(async () => {
    if (isLocked(await call(commands.lockLedger()))) onLocked();
  }, [onLocked]);

  const may = useCallback((need: Need) => session.may.includes(need), [session]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Context.Provider
      value={{
        statuses,
        labels,
        staff,
        stats,
        settings,
        contactKinds,
        campaigns,
        followUp,
        today,
        revision,
        reload,
        saveSettings,
        session,
        may,
        rules,
        switchStaff,
        lock,
      }}
    >
      {children}
    </Context.Provider>
  );
}

export function useLedger(): LedgerData {
  const value = useContext(Context);
  if (!value) throw new Error("useLedger outside LedgerProvider");
  return value;
}
