import { t } from "../i18n";
import { useSignIn } from "./use-sign-in";

/** All the app shows while sign-in is on and nobody is signed in: at start and after a lock. */
export function SignInScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const s = useSignIn(onSignedIn);
  return (
    <div className="first-run" data-testid="sign-in-screen">
      <form className="card sign-in" onSubmit={(e) => void s.submit(e)}>
        <h1>{t.signIn.title}</h1>
        <p>{t.signIn.lead}</p>
        {s.choices?.length === 0 && <p className="error">{t.signIn.noStaff}</p>}
        <label className="field">
          <span>{t.signIn.staff}</span>
          <select
            data-testid="sign-in-staff"
            value={s.staffId ?? ""}
            onChange={(e) => s.setStaffId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t.signIn.choose}</option>
            {(s.choices ?? []).map((c) => (
              <option key={c.staff_id} value={c.staff_id ?? ""}>
                {c.name}（{t.roles[c.role]}）
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.signIn.pin}</span>
          <input
            type="password"
            autoComplete="off"
            data-testid="sign-in-pin"
            value={s.pin}
            onChange={(e) => s.setPin(e.target.value)}
            autoFocus
          />
        </label>
        {s.error && (
          <p className="error" data-testid="sign-in-error">
            {s.error}
          </p>
        )}
        <button className="primary" type="submit" data-testid="sign-in-submit" disabled={s.busy || s.staffId === null || !s.pin}>
          {t.signIn.submit}
        </button>
      </form>
    </div>
  );
}
