import type { Customer, ProjectInput, ProjectKind } from "../shared/api";
import { blankProject, useProjects, type Projects } from "./use-projects";
import { t } from "../i18n";

const DATES = ["contract_on", "start_on", "completion_on", "handover_on"] as const;

/** The customer's projects; a contract or handover offers the status move. */
export function ProjectsTab({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const p = useProjects(customer, onChanged);
  const { offer, scheduled } = p;
  return (
    <div className="projects-tab" data-testid="projects-tab">
      {p.error && <p className="error">{p.error}</p>}
      {offer && (
        <div className="banner info" data-testid="status-offer">
          {t.projects.offer(offer.name)}
          <button className="primary" onClick={() => void p.move(offer)} data-testid="status-offer-accept">
            {t.projects.move}
          </button>
          <button onClick={() => p.setOffer(null)}>{t.projects.keep}</button>
        </div>
      )}
      {scheduled.length > 0 && (
        <div className="banner ok" data-testid="aftercare-scheduled">
          {t.projects.scheduled} {scheduled.join(t.app.listSeparator)}
        </div>
      )}
      {p.editing ? (
        <ProjectForm p={p} editing={p.editing} />
      ) : (
        <button onClick={() => p.setEditing(blankProject(customer.id))} data-testid="project-add">
          {t.projects.add}
        </button>
      )}
      <ProjectList p={p} />
    </div>
  );
}

function ProjectForm({ p, editing }: { p: Projects; editing: ProjectInput }) {
  const { set } = p;
  const errors = p.fieldErrors;
  return (
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
        <input
          value={editing.title}
          onChange={(e) => set("title", e.target.value)}
          data-testid="project-title"
          aria-invalid={Boolean(errors.title)}
        />
        {errors.title && <span className="field-error">{errors.title}</span>}
      </label>
      <label>
        {t.projects.amount}
        <input
          type="number"
          value={editing.amount_yen ?? ""}
          onChange={(e) => set("amount_yen", e.target.value === "" ? null : Number(e.target.value))}
          data-testid="project-amount"
          aria-invalid={Boolean(errors.amount_yen)}
        />
        {errors.amount_yen && <span className="field-error">{errors.amount_yen}</span>}
      </label>
      {DATES.map((key) => (
        <label key={key}>
          {t.projects[key]}
          <input
            type="date"
            value={editing[key] ?? ""}
            onChange={(e) => set(key, e.target.value || null)}
            data-testid={`project-${key}`}
            aria-invalid={Boolean(errors[key])}
          />
          {errors[key] && (
            <span className="field-error" data-testid={`project-error-${key}`}>
              {errors[key]}
            </span>
          )}
        </label>
      ))}
      <button className="primary" onClick={() => void p.save()} data-testid="project-save">
        {t.projects.save}
      </button>
      <button onClick={() => p.setEditing(null)}>{t.detail.cancel}</button>
    </fieldset>
  );
}

function ProjectList({ p }: { p: Projects }) {
  if (p.projects.length === 0) return <p className="muted">{t.projects.empty}</p>;
  return (
    <table className="plain" data-testid="project-list">
      <tbody>
        {p.projects.map((project) => (
          <tr key={project.id}>
            <td>{t.projects.kinds[project.kind]}</td>
            <td>
              <button className="link" onClick={() => p.setEditing({ ...project, id: project.id })}>
                {project.title}
              </button>
            </td>
            <td className="num">{project.amount_yen !== null ? t.app.yen(project.amount_yen) : ""}</td>
            <td className="small">
              {t.projects.dates(DATES.filter((k) => project[k]).map((k) => t.projects.dated(t.projects[k], project[k] ?? "")))}
            </td>
            <td>
              <button className="ghost small" onClick={() => void p.remove(project)} aria-label={t.projects.remove}>
                ✕
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
