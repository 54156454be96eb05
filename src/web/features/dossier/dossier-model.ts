/**
 * The dossier form's state: every input's text under its name, which is the API's dotted field path
 * (latinName.surname, education.0.grade.pass), so a 400's field errors land next to the right input.
 */
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { fieldMessage, type Message } from '../../ui/errors';
import { type Category, type Dossier, type Education, newEntryId, type Olympiad } from './dossier-api';

export const LISTS = ['education', 'languageCertificates', 'achievements', 'recommendations'] as const;
export type ListName = (typeof LISTS)[number];

export type Values = Record<string, string>;
export interface Row {
  /** React key; the entry's own id is among the values. */
  key: number;
  values: Values;
}

export interface FormState {
  scalars: Values;
  lists: Record<ListName, Row[]>;
}

let nextKey = 1;
const row = (values: Values): Row => ({ key: nextKey++, values });

const text = (value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);
const tri = (value: boolean | undefined) => (value === undefined ? '' : value ? 'true' : 'false');

/** Empty rows of each list, with a fresh id (and the defaults the selects start at). */
export function newRow(list: ListName): Row {
  switch (list) {
    case 'education':
      return row({ id: newEntryId('edu'), level: 'medical_degree', field: 'general_medicine', documentLanguage: 'en' });
    case 'languageCertificates':
      return row({ id: newEntryId('lang'), language: 'ru' });
    case 'achievements':
      return row({ id: newEntryId('ach') });
    case 'recommendations':
      return row({ id: newEntryId('rec') });
  }
}

function educationValues(e: Education): Values {
  return {
    id: e.id,
    institution: e.institution,
    country: e.country,
    level: e.level,
    field: e.field,
    title: e.title,
    startedOn: text(e.startedOn),
    finishedOn: text(e.finishedOn),
    documentLanguage: e.documentLanguage,
    'grade.value': text(e.grade?.value),
    'grade.min': text(e.grade?.min),
    'grade.pass': text(e.grade?.pass),
    'grade.max': text(e.grade?.max),
    worldRankingPosition: text(e.worldRankingPosition),
  };
}

export function toState(dossier: Dossier | null): FormState {
  const d = dossier;
  return {
    scalars: {
      'latinName.surname': text(d?.latinName.surname),
      'latinName.givenNames': text(d?.latinName.givenNames),
      'cyrillicName.surname': text(d?.cyrillicName?.surname),
      'cyrillicName.givenNames': text(d?.cyrillicName?.givenNames),
      'cyrillicName.patronymic': text(d?.cyrillicName?.patronymic),
      dateOfBirth: text(d?.dateOfBirth),
      citizenship: text(d?.citizenship),
      category: d?.category ?? 'contract',
      'passport.number': text(d?.passport?.number),
      'passport.issuingCountry': text(d?.passport?.issuingCountry),
      'passport.issuedOn': text(d?.passport?.issuedOn),
      'passport.expiresOn': text(d?.passport?.expiresOn),
      'visa.enteredOnVisa': tri(d?.visa?.enteredOnVisa),
      'visa.number': text(d?.visa?.number),
      'visa.expiresOn': text(d?.visa?.expiresOn),
      'internship.completed': tri(d?.internship?.completed),
      'internship.institution': text(d?.internship?.institution),
      'internship.finishedOn': text(d?.internship?.finishedOn),
      olympiad: d?.olympiad ?? 'none',
      motivationLetter: text(d?.motivationLetter),
      volunteering: text(d?.volunteering),
    },
    lists: {
      education: (d?.education ?? []).map((e) => row(educationValues(e))),
      languageCertificates: (d?.languageCertificates ?? []).map((c) =>
        row({ id: c.id, language: c.language, name: c.name, level: c.level, issuedOn: text(c.issuedOn) }),
      ),
      achievements: (d?.achievements ?? []).map((a) => row({ id: a.id, title: a.title, year: text(a.year) })),
      recommendations: (d?.recommendations ?? []).map((r) => row({ id: r.id, from: r.from })),
    },
  };
}

const LIST_PATH = /^(education|languageCertificates|achievements|recommendations)\.(\d+)\.(.+)$/;

export function valueAt(state: FormState, path: string): string {
  const match = LIST_PATH.exec(path);
  if (!match) return state.scalars[path] ?? '';
  const [, list, index, rest] = match;
  return state.lists[list as ListName][Number(index)]?.values[rest ?? ''] ?? '';
}

export function withValue(state: FormState, path: string, value: string): FormState {
  const match = LIST_PATH.exec(path);
  if (!match) return { ...state, scalars: { ...state.scalars, [path]: value } };
  const [, list, index, rest] = match;
  const name = list as ListName;
  const rows = state.lists[name].map((r, i) =>
    i === Number(index) ? { ...r, values: { ...r.values, [rest ?? '']: value } } : r,
  );
  return { ...state, lists: { ...state.lists, [name]: rows } };
}

/** Trimmed text, or null when empty. */
const str = (value: string | undefined) => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};
/** A number, or null when empty (the API names the field when a number was needed). */
const num = (value: string | undefined) => (str(value) === null ? null : Number(value));
const allEmpty = (...values: (string | undefined)[]) => values.every((v) => str(v) === null);

function toEducation(v: Values): Education {
  const grade = ['grade.value', 'grade.min', 'grade.pass', 'grade.max'].map((k) => v[k]);
  return {
    id: v.id ?? '',
    institution: v.institution ?? '',
    country: v.country ?? '',
    level: v.level as Education['level'],
    field: v.field as Education['field'],
    title: v.title ?? '',
    startedOn: str(v.startedOn),
    finishedOn: str(v.finishedOn),
    documentLanguage: v.documentLanguage ?? '',
    grade: allEmpty(...grade)
      ? null
      : ({
          value: num(v['grade.value']),
          min: num(v['grade.min']),
          pass: num(v['grade.pass']),
          max: num(v['grade.max']),
        } as Education['grade']),
    worldRankingPosition: num(v.worldRankingPosition),
  };
}

/** The PUT body. Parts left wholly empty are "not stated" (null); partly filled ones go as they are, for the API to check. */
export function toDossier(state: FormState): Dossier {
  const s = state.scalars;
  const cyrillic = ['cyrillicName.surname', 'cyrillicName.givenNames', 'cyrillicName.patronymic'].map((k) => s[k]);
  const passport = ['passport.number', 'passport.issuingCountry', 'passport.issuedOn', 'passport.expiresOn'];
  const visa = s['visa.enteredOnVisa'];
  const internship = s['internship.completed'];
  return {
    latinName: { surname: (s['latinName.surname'] ?? '').trim(), givenNames: (s['latinName.givenNames'] ?? '').trim() },
    cyrillicName: allEmpty(...cyrillic)
      ? null
      : {
          surname: (s['cyrillicName.surname'] ?? '').trim(),
          givenNames: (s['cyrillicName.givenNames'] ?? '').trim(),
          patronymic: str(s['cyrillicName.patronymic']),
        },
    dateOfBirth: str(s.dateOfBirth),
    citizenship: str(s.citizenship),
    category: (s.category || 'contract') as Category,
    passport: allEmpty(...passport.map((k) => s[k]))
      ? null
      : {
          number: (s['passport.number'] ?? '').trim(),
          issuingCountry: s['passport.issuingCountry'] ?? '',
          issuedOn: s['passport.issuedOn'] ?? '',
          expiresOn: s['passport.expiresOn'] ?? '',
        },
    visa:
      visa === ''
        ? null
        : {
            enteredOnVisa: visa === 'true',
            number: visa === 'true' ? str(s['visa.number']) : null,
            expiresOn: visa === 'true' ? str(s['visa.expiresOn']) : null,
          },
    education: state.lists.education.map((r) => toEducation(r.values)),
    internship:
      internship === ''
        ? null
        : {
            completed: internship === 'true',
            institution: str(s['internship.institution']),
            finishedOn: str(s['internship.finishedOn']),
          },
    languageCertificates: state.lists.languageCertificates.map(({ values: v }) => ({
      id: v.id ?? '',
      language: v.language ?? '',
      name: v.name ?? '',
      level: v.level ?? '',
      issuedOn: str(v.issuedOn),
    })),
    achievements: state.lists.achievements.map(({ values: v }) => ({
      id: v.id ?? '',
      title: v.title ?? '',
      year: num(v.year) as number,
    })),
    olympiad: (s.olympiad || 'none') as Olympiad,
    recommendations: state.lists.recommendations.map(({ values: v }) => ({ id: v.id ?? '', from: v.from ?? '' })),
    motivationLetter: str(s.motivationLetter),
    volunteering: str(s.volunteering),
  };
}

export interface DossierErrors {
  general: Message | null;
  /** By field path without "body.", which is also the input's name. */
  fields: Record<string, Message>;
}

export const NO_ERRORS: DossierErrors = { general: null, fields: {} };

/** Messages for a failed save, worded for the kind of field (education.grade.pass, not education.0.grade.pass). */
export function saveErrors(error: unknown): DossierErrors {
  if (!(error instanceof ApiError)) return { general: { key: 'errors.generic' }, fields: {} };
  const fields: Record<string, Message> = {};
  for (const item of error.fieldErrors) {
    const path = item.field.replace(/^body\./, '');
    fields[path] ??= fieldMessage(path.replace(/\.\d+(?=\.|$)/g, ''), item.code);
  }
  const general: Message =
    error.code === 'validation_failed'
      ? { key: 'dossier.invalid' }
      : { key: i18n.exists(`errors.${error.code}`) ? `errors.${error.code}` : 'errors.generic' };
  return { general, fields };
}
