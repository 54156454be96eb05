/**
 * The adaptation checklist editor's drafts: templates as the form holds them (numbers as typed), the
 * checks made before saving (the same rules as the API's ZAdaptationTemplate), and the API's field
 * errors placed on the inputs they concern. Error paths are the API's without "body.":
 * "templates.0.country", "templates.0.items.2.title.en".
 */
import { COUNTRY_CODES } from '../../ui/regions';
import type { Template, TemplateItem } from './adaptation-api';

export interface ItemDraft {
  key: string;
  id: string;
  titleEn: string;
  titleRu: string;
  dueDays: string;
  workingDays: boolean;
  essential: boolean;
  source: string;
}

export interface TemplateDraft {
  key: string;
  country: string;
  items: ItemDraft[];
}

/** Translation keys of the messages, by path. */
export type DraftErrors = Record<string, string>;

let counter = 0;
const nextKey = () => {
  counter += 1;
  return `k${counter}`;
};

export function emptyItem(): ItemDraft {
  return {
    key: nextKey(),
    id: '',
    titleEn: '',
    titleRu: '',
    dueDays: '',
    workingDays: false,
    essential: true,
    source: '',
  };
}

export function itemDraft(item: TemplateItem): ItemDraft {
  return {
    key: nextKey(),
    id: item.id,
    titleEn: item.title.en,
    titleRu: item.title.ru,
    dueDays: String(item.dueDays),
    workingDays: item.workingDays,
    essential: item.essential,
    source: item.source,
  };
}

export function templateDraft(template: Template): TemplateDraft {
  return { key: nextKey(), country: template.country, items: template.items.map(itemDraft) };
}

export function newTemplate(country: string, items: readonly TemplateItem[] = []): TemplateDraft {
  return { key: nextKey(), country, items: items.length > 0 ? items.map(itemDraft) : [emptyItem()] };
}

const ID = /^[a-z0-9_]{1,40}$/;
const COUNTRIES = new Set(COUNTRY_CODES);

/** Checks the drafts; returns the templates to send, or the errors by path. */
export function checkDrafts(drafts: readonly TemplateDraft[]): { templates: Template[] } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  const countries = new Set<string>();
  drafts.forEach((draft, i) => {
    const at = `templates.${i}`;
    if (draft.country !== '*' && !COUNTRIES.has(draft.country))
      errors[`${at}.country`] = 'office.adaptation.errors.country';
    else if (countries.has(draft.country)) errors[`${at}.country`] = 'office.adaptation.errors.duplicateCountry';
    countries.add(draft.country);
    if (draft.items.length === 0) errors[`${at}.items`] = 'office.adaptation.errors.items';
    if (draft.items.length > 50) errors[`${at}.items`] = 'office.adaptation.errors.tooManyItems';
    const ids = new Set<string>();
    draft.items.forEach((item, j) => {
      const path = `${at}.items.${j}`;
      const id = item.id.trim();
      if (!ID.test(id)) errors[`${path}.id`] = 'office.adaptation.errors.id';
      else if (ids.has(id)) errors[`${path}.id`] = 'office.adaptation.errors.duplicateId';
      ids.add(id);
      if (!item.titleEn.trim() || item.titleEn.trim().length > 200)
        errors[`${path}.title.en`] = 'office.adaptation.errors.title';
      if (!item.titleRu.trim() || item.titleRu.trim().length > 200)
        errors[`${path}.title.ru`] = 'office.adaptation.errors.title';
      const days = Number(item.dueDays.trim());
      if (item.dueDays.trim() === '' || !Number.isInteger(days) || days < 0 || days > 365)
        errors[`${path}.dueDays`] = 'office.adaptation.errors.dueDays';
      if (item.source.trim().length > 500) errors[`${path}.source`] = 'office.adaptation.errors.source';
    });
  });
  if (drafts.length > 250) errors.templates = 'office.adaptation.errors.tooManyTemplates';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    templates: drafts.map((draft) => ({
      country: draft.country,
      items: draft.items.map((item) => ({
        id: item.id.trim(),
        title: { en: item.titleEn.trim(), ru: item.titleRu.trim() },
        dueDays: Number(item.dueDays.trim()),
        workingDays: item.workingDays,
        essential: item.essential,
        source: item.source.trim(),
      })),
    })),
  };
}

/** The API's field errors, placed on the editor's inputs; whatever has no input is left in `unplaced`. */
export function placeServerErrors(fieldErrors: readonly { field: string; code: string }[]): {
  errors: DraftErrors;
  unplaced: number;
} {
  const errors: DraftErrors = {};
  let unplaced = 0;
  for (const { field, code } of fieldErrors) {
    const path = field.replace(/^body\./, '');
    const item = /^templates\.\d+\.items\.\d+\.(id|title\.en|title\.ru|dueDays|source)$/.exec(path)?.[1];
    let key: string | null = null;
    if (/^templates\.\d+\.country$/.test(path)) {
      key = code === 'invalid_value' ? 'office.adaptation.errors.duplicateCountry' : 'office.adaptation.errors.country';
    } else if (/^templates\.\d+\.items$/.test(path)) {
      key = code === 'too_big' ? 'office.adaptation.errors.tooManyItems' : 'office.adaptation.errors.items';
    } else if (item === 'id') {
      key = code === 'custom' ? 'office.adaptation.errors.duplicateId' : 'office.adaptation.errors.id';
    } else if (item === 'title.en' || item === 'title.ru') {
      key = 'office.adaptation.errors.title';
    } else if (item === 'dueDays') {
      key = 'office.adaptation.errors.dueDays';
    } else if (item === 'source') {
      key = 'office.adaptation.errors.source';
    }
    if (key) errors[path] ??= key;
    else unplaced += 1;
  }
  return { errors, unplaced };
}
