import type { Customer, ProjectInput, ProjectKind } from "../shared/api";
import { InputField, OptionsOf } from "../shared/Inputs";
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
          <OptionsOf labels={t.projects.kinds} />
        </select>
      </label>
      <InputField
        className="wide"
        label={t.projects.title}
        error={errors.title}
        value={editing.title}
        onChange={(v) => set("title", v)}
        data-testid="project-title"
      />
      <InputField
        label={t.projects.amount}
        error={errors.amount_yen}
        type="number"
        value={editing.amount_yen ?? ""}
        onChange={(v) => set("amount_yen", v === "" ? null : Number(v))}
        data-testid="project-amount"
      />
      {DATES.map((key) => (
        <InputField
          key={key}
          label={t.projects[key]}
          error={errors[key]}
          errorTestId={`project-error-${key}`}
          type="date"
          value={editing[key] ?? ""}
          onChange={(v) => set(key, v || null)}
          data-testid={`project-${key}`}
        />
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
