import { ApiError } from '../api';
import { i18n } from '../i18n/i18n';

/** A message to show, kept as a translation key so it follows language changes. */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

export interface FormErrors {
  /** Shown in the form's alert region. */
  general: Message | null;
  /** Shown next to the input with this name. */
  fields: Partial<Record<string, Message>>;
}

export const NO_ERRORS: FormErrors = { general: null, fields: {} };

function firstExisting(keys: string[], fallback: string): Message {
  const key = keys.find((candidate) => i18n.exists(candidate)) ?? fallback;
  return { key };
}

/** The message for an API field error code, preferring one worded for that field. */
export function fieldMessage(field: string, code: string): Message {
  return firstExisting([`fieldErrors.byField.${field}.${code}`, `fieldErrors.${code}`], 'fieldErrors.generic');
}

function generalMessage(error: ApiError): Message {
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    return { key: 'errors.too_many_requests_wait', values: { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) } };
  }
  return firstExisting([`errors.${error.code}`], 'errors.generic');
}

/**
 * Turns whatever a request threw into localized messages: field errors go next to the inputs named in
 * `fieldNames`, everything else (and a summary) into the general alert.
 */
export function describeError(error: unknown, fieldNames: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { general: { key: 'errors.generic' }, fields: {} };
  const fields: Partial<Record<string, Message>> = {};
  let unplaced: { name: string; code: string } | null = null;
  for (const item of error.fieldErrors) {
    const name = item.field.replace(/^body\./, '');
    if (fieldNames.includes(name)) {
      fields[name] ??= fieldMessage(name, item.code);
    } else {
      unplaced ??= { name, code: item.code };
    }
  }
  if (error.code !== 'validation_failed') return { general: generalMessage(error), fields };
  if (unplaced?.name === 'token') return { general: { key: 'errors.token_invalid' }, fields };
  return { general: { key: 'errors.validation_failed' }, fields };
}

/** Client-side checks: which of the named values are empty. */
export function requireFilled(values: Record<string, string>): FormErrors {
  const fields: Partial<Record<string, Message>> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value.trim() === '') fields[name] = { key: 'fieldErrors.required' };
  }
  return Object.keys(fields).length > 0 ? { general: { key: 'errors.validation_failed' }, fields } : NO_ERRORS;
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.general !== null || Object.keys(errors.fields).length > 0;
}
