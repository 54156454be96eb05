/** The program edit form's state, made from a program and turned back into the PUT body. */
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { fieldMessage, type Message } from '../../ui/errors';
import type {
  Currency,
  FundingKind,
  IntakeWindow,
  Language,
  Level,
  ProgramDetail,
  ProgramInput,
  StudyForm,
  Text,
  TuitionPeriod,
} from './catalog-api';

/** A yes/no fact that may be unknown: '' = not stated. */
export type Tri = '' | 'true' | 'false';

export interface DurationRow {
  key: number;
  from: string;
  to: string;
  min: string;
  max: string;
  source: string;
}

export interface WindowRow {
  key: number;
  yearRound: boolean;
  opens: string;
  closes: string;
  studyForms: StudyForm[];
  source: string;
}

export interface SourceRow {
  key: number;
  field: string;
  source: string;
}

export interface EditState {
  level: Level;
  titleEn: string;
  titleRu: string;
  specialtyCode: string;
  languages: Language[];
  languagePreparation: Tri;
  studyForms: StudyForm[];
  fundingKinds: FundingKind[];
  tuitionStated: boolean;
  tuitionAmount: string;
  tuitionCurrency: Currency;
  tuitionPeriod: TuitionPeriod;
  clinicalPractice: Tri;
  exchangePrograms: Tri;
  examsEn: string;
  examsRu: string;
  notesEn: string;
  notesRu: string;
  durations: DurationRow[];
  windows: WindowRow[];
  sources: SourceRow[];
}

/** Fields a source can be given for (keys of `sources`). */
export const SOURCE_FIELDS = [
  'level',
  'title',
  'specialtyCode',
  'durations',
  'languages',
  'languagePreparation',
  'studyForms',
  'fundingKinds',
  'tuition',
  'clinicalPractice',
  'exchangePrograms',
  'entranceExams',
  'intakeWindows',
  'notes',
] as const;

let nextKey = 1;
/** A stable React key for a new row. */
export const rowKey = () => nextKey++;

const tri = (value: boolean | null): Tri => (value === null ? '' : value ? 'true' : 'false');
const fromTri = (value: Tri): boolean | null => (value === '' ? null : value === 'true');
const str = (value: number | null) => (value === null ? '' : String(value));
const num = (value: string): number | null => (value.trim() === '' ? null : Number(value));

export function toState(program: ProgramDetail): EditState {
  return {
    level: program.level,
    titleEn: program.title.en,
    titleRu: program.title.ru,
    specialtyCode: program.specialtyCode ?? '',
    languages: [...program.languages],
    languagePreparation: tri(program.languagePreparation),
    studyForms: [...program.studyForms],
    fundingKinds: [...program.fundingKinds],
    tuitionStated: program.tuition !== null,
    tuitionAmount: program.tuition ? String(program.tuition.amount) : '',
    tuitionCurrency: program.tuition?.currency ?? 'USD',
    tuitionPeriod: program.tuition?.period ?? 'year',
    clinicalPractice: tri(program.clinicalPractice),
    exchangePrograms: tri(program.exchangePrograms),
    examsEn: program.entranceExams?.en ?? '',
    examsRu: program.entranceExams?.ru ?? '',
    notesEn: program.notes?.en ?? '',
    notesRu: program.notes?.ru ?? '',
    durations: program.durations.map((rule) => ({
      key: rowKey(),
      from: str(rule.fromIntakeYear),
      to: str(rule.toIntakeYear),
      min: str(rule.minMonths),
      max: String(rule.maxMonths),
      source: rule.source,
    })),
    windows: program.intakeWindows.map((window) => ({
      key: rowKey(),
      yearRound: window.yearRound,
      opens: window.yearRound ? '' : window.opens,
      closes: window.yearRound ? '' : window.closes,
      studyForms: window.yearRound ? [] : [...window.studyForms],
      source: window.source,
    })),
    sources: Object.entries(program.sources).map(([field, source]) => ({ key: rowKey(), field, source })),
  };
}

/** Both languages, or null when both are empty (one alone is sent, and the API says which is missing). */
function text(en: string, ru: string): Text | null {
  return en.trim() === '' && ru.trim() === '' ? null : { en, ru };
}

export function toInput(state: EditState, slug: string, university: string): ProgramInput {
  return {
    slug,
    university,
    level: state.level,
    title: { en: state.titleEn, ru: state.titleRu },
    specialtyCode: state.specialtyCode.trim() === '' ? null : state.specialtyCode.trim(),
    durations: state.durations.map((row) => ({
      fromIntakeYear: num(row.from),
      toIntakeYear: num(row.to),
      minMonths: num(row.min),
      maxMonths: num(row.max) as number,
      source: row.source,
    })),
    languages: state.languages,
    languagePreparation: fromTri(state.languagePreparation),
    studyForms: state.studyForms,
    fundingKinds: state.fundingKinds,
    tuition: state.tuitionStated
      ? {
          amount: num(state.tuitionAmount) as number,
          currency: state.tuitionCurrency,
          period: state.tuitionPeriod,
        }
      : null,
    clinicalPractice: fromTri(state.clinicalPractice),
    exchangePrograms: fromTri(state.exchangePrograms),
    entranceExams: text(state.examsEn, state.examsRu),
    intakeWindows: state.windows.map(
      (row): IntakeWindow =>
        row.yearRound
          ? { yearRound: true, source: row.source }
          : { yearRound: false, opens: row.opens, closes: row.closes, studyForms: row.studyForms, source: row.source },
    ),
    notes: text(state.notesEn, state.notesRu),
    sources: Object.fromEntries(state.sources.map((row) => [row.field, row.source])),
  };
}

export interface EditErrors {
  general: Message | null;
  /** By the API's field path without "body." (durations.0.maxMonths), which is also the input's name. */
  fields: Record<string, Message>;
}

export const NO_EDIT_ERRORS: EditErrors = { general: null, fields: {} };

/** Messages for a failed save: each field error under its path, worded for the kind of field. */
export function editErrors(error: unknown): EditErrors {
  if (!(error instanceof ApiError)) return { general: { key: 'errors.generic' }, fields: {} };
  const fields: Record<string, Message> = {};
  for (const item of error.fieldErrors) {
    const path = item.field.replace(/^body\./, '');
    // durations.0.maxMonths → durations.maxMonths; sources.<field> → sources.value
    const kind = path.replace(/\.\d+(?=\.|$)/g, '').replace(/^sources\..+$/, 'sources.value');
    fields[path] ??= fieldMessage(kind, item.code);
  }
  const general: Message =
    error.code === 'validation_failed'
      ? { key: 'catalog.edit.invalid' }
      : { key: i18n.exists(`errors.${error.code}`) ? `errors.${error.code}` : 'errors.generic' };
  return { general, fields };
}

/** Names of the form's inputs (the API's field paths), where their errors are shown. */
export function inputNames(state: EditState): Set<string> {
  const names = [
    ...['title.en', 'title.ru', 'specialtyCode', 'level', 'languages', 'languagePreparation', 'studyForms'],
    ...['fundingKinds', 'clinicalPractice', 'exchangePrograms', 'tuition.amount', 'tuition.currency'],
    ...['tuition.period', 'entranceExams.en', 'entranceExams.ru', 'notes.en', 'notes.ru', 'sources'],
    ...state.durations.flatMap((_, i) =>
      ['fromIntakeYear', 'toIntakeYear', 'minMonths', 'maxMonths', 'source'].map((part) => `durations.${i}.${part}`),
    ),
    ...state.windows.flatMap((_, i) =>
      ['', '.yearRound', '.opens', '.closes', '.studyForms', '.source'].map((part) => `intakeWindows.${i}${part}`),
    ),
    ...state.sources.flatMap((row, i) => [`sourceField.${i}`, `sources.${row.field}`]),
  ];
  return new Set(names);
}
