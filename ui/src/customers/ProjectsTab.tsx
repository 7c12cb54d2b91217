import { useEffect, useState } from "react";
import { ApiError, call, commands, messageOf, type Customer, type Project, type ProjectInput, type ProjectKind, type Status } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

const blank = (customerId: number): ProjectInput => ({
  id: null, customer_id: customerId, kind: "new_build", title: "", amount_yen: null,
  contract_on: null, start_on: null, completion_on: null, handover_on: null,
});

const DATES = ["contract_on", "start_on", "completion_on", "handover_on"] as const;

/** The customer's projects; a contract or handover offers the status move. */
export function ProjectsTab({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { reload } = useLedger();
  const [projects, setProjects] = useState<Project[]>([]);
  const [editing, setEditing] = useState<ProjectInput | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [offer, setOffer] = useState<Status | null>(null);
  const [scheduled, setScheduled] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = () => call(commands.listProjects(customer.id)).then(setProjects);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [customer.id]);

  async function save() {
    if (!editing) return;
    try {
      const saved = await call(commands.saveProject(editing));
      setEditing(null);
      setErrors({});
      setOffer(saved.offer_status);
      setScheduled(saved.inspections);
      await load();
      await reload();
      onChanged(await call(commands.getCustomer(customer.id)));
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setErrors(e.fieldMessages());
      else setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function move(status: Status) {
    try {
      onChanged(await call(commands.changeStatus(customer.id, status.id, "", "")));
      setOffer(null);
      await reload();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function remove(p: Project) {
    if (!window.confirm(t.projects.removeConfirm)) return;
    await call(commands.deleteProject(p.id));
    await load();
    await reload();
  }

  const set = <K extends keyof ProjectInput>(key: K, value: ProjectInput[K]) => setEditing((e) => (e ? { ...e, [key]: value } : e));

  return (
    <div className="projects-tab" data-testid="projects-tab">
      {error && <p className="error">{error}</p>}
      {offer && (
        <div className="banner info" data-testid="status-offer">
          {t.projects.offer(offer.name)}
          <button className="primary" onClick={() => void move(offer)} data-testid="status-offer-accept">
            {t.projects.move}
          </button>
          <button onClick={() => setOffer(null)}>{t.projects.keep}</button>
        </div>
      )}
      {scheduled.length > 0 && (
        <div className="banner ok" data-testid="aftercare-scheduled">
          {t.projects.scheduled} {scheduled.join("、")}
        </div>
      )}
      {editing ? (
        <fieldset className="project-form" data-testid="project-form">
          <label>
            {t.projects.kind}
            <select value={editing.kind} onChange={(e) => set("kind", e.target.value as ProjectKind)} data-testid="project-kind">
              {Object.entries(t.projects.kinds).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="wide">
            {t.projects.title}
            <input value={editing.title} onChange={(e) => set("title", e.target.value)} data-testid="project-title" aria-invalid={Boolean(errors.title)} />
            {errors.title && <span className="field-error">{errors.title}</span>}
          </label>
          <label>
            {t.projects.amount}
            <input type="number" value={editing.amount_yen ?? ""} onChange={(e) => set("amount_yen", e.target.value === "" ? null : Number(e.target.value))} data-testid="project-amount" aria-invalid={Boolean(errors.amount_yen)} />
            {errors.amount_yen && <span className="field-error">{errors.amount_yen}</span>}
          </label>
          {DATES.map((key) => (
            <label key={key}>
              {t.projects[key]}
              <input type="date" value={editing[key] ?? ""} onChange={(e) => set(key, e.target.value || null)} data-testid={`project-${key}`} aria-invalid={Boolean(errors[key])} />
              {errors[key] && <span className="field-error" data-testid={`project-error-${key}`}>{errors[key]}</span>}
            </label>
          ))}
          <button className="primary" onClick={() => void save()} data-testid="project-save">
            {t.projects.save}
          </button>
          <button onClick={() => setEditing(null)}>{t.detail.cancel}</button>
        </fieldset>
      ) : (
        <button onClick={() => setEditing(blank(customer.id))} data-testid="project-add">
          {t.projects.add}
        </button>
      )}
      {projects.length === 0 ? (
        <p className="muted">{t.projects.empty}</p>
      ) : (
        <table className="plain" data-testid="project-list">
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}>
                <td>{t.projects.kinds[p.kind]}</td>
                <td>
                  <button className="link" onClick={() => setEditing({ ...p, id: p.id })}>
                    {p.title}
                  </button>
                </td>
                <td className="num">{p.amount_yen !== null ? `${p.amount_yen.toLocaleString("ja-JP")} 円` : ""}</td>
                <td className="small">
                  {DATES.filter((k) => p[k]).map((k) => `${t.projects[k]} ${p[k]}`).join(" / ")}
                </td>
                <td>
                  <button className="ghost small" onClick={() => void remove(p)} aria-label={t.projects.remove}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
