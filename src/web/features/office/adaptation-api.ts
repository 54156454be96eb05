/** Client of a university's adaptation checklist templates (docs/API.md "Agency workspace: pipeline, tasks, adaptation, reports"). */
import { request } from '../../api';

export interface TemplateItem {
  id: string;
  title: { en: string; ru: string };
  dueDays: number;
  workingDays: boolean;
  essential: boolean;
  source: string;
}

export interface Template {
  /** ISO 3166-1 alpha-2 code of the citizenship it applies to, or "*" for everyone else. */
  country: string;
  items: TemplateItem[];
}

export interface Templates {
  templates: (Template & { updatedAt: string })[];
  /** The built-in checklist used while the university has set none. */
  default: { note: string; items: TemplateItem[] };
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export const adaptationApi = {
  templates: (university: string, signal?: Signal) =>
    request<Templates>('GET', `/api/v1/universities/${at(university)}/adaptation-templates`, undefined, { signal }),
  saveTemplates: (university: string, templates: Template[]) =>
    request<Templates>('PUT', `/api/v1/universities/${at(university)}/adaptation-templates`, { templates }),
};
