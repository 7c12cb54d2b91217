import type { Customer, ProjectInput, ProjectKind } from "../shared/api";
import { Fragment } from "react";
import { InputField, OptionsOf } from "../shared/Inputs";
import { countOf } from "./project-requests";
import { RequestsTab } from "./RequestsTab";
import { blankProject, useProjects, type Projects } from "./use-projects";
import { t } from "../i18n";

const DATES = ["contract_on", "start_on", "completion_on", "handover_on"] as const;

/** The customer's projects; a contract or handover offers the status move;
 * each house opens its own アフター (its requests, and receiving one for it). */
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
          <Fragment key={project.id}>
            <tr>
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
                <RequestsToggle p={p} projectId={project.id} />
              </td>
              <td>
                <button className="ghost small" onClick={() => void p.remove(project)} aria-label={t.projects.remove}>
                  ✕
                </button>
              </td>
            </tr>
            {p.requestsOf === project.id && (
              <tr>
                <td colSpan={6} className="project-requests" data-testid={`project-requests-${project.id}`}>
                  <RequestsTab customerId={project.customer_id} projectId={project.id} onChanged={() => void p.requestsChanged()} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/** The house's アフター: how many requests it has, opening and closing them. */
function RequestsToggle({ p, projectId }: { p: Projects; projectId: number }) {
  const shown = p.requestsOf === projectId;
  const count = countOf(p.requestCounts, projectId);
  return (
    <button
      className={count.open > 0 ? "small-button open-requests" : "small-button"}
      onClick={() => p.setRequestsOf(shown ? null : projectId)}
      aria-expanded={shown}
      data-testid={`project-requests-toggle-${projectId}`}
    >
      {shown ? t.projects.requestsHide : t.projects.requests(count.total, count.open)}
    </button>
  );
}
