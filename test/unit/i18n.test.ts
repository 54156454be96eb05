import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

function values(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : values(v)));
}

const load = (locale: string) => JSON.parse(fs.readFileSync(`src/web/i18n/${locale}.json`, 'utf8')) as Tree;

describe('web translations', () => {
  const en = load('en');
  const ru = load('ru');

  it('has every English string in Russian and nothing extra', () => {
    expect(keys(ru).sort()).toEqual(keys(en).sort());
  });

  it('has no empty strings', () => {
    expect(values(en).filter((v) => v.trim() === '')).toEqual([]);
    expect(values(ru).filter((v) => v.trim() === '')).toEqual([]);
  });

  it('writes Russian strings in Cyrillic, not left in English', () => {
    const texts = values(ru);
    const latinOnly = keys(ru)
      .map((k, i) => [k, texts[i] ?? ''] as const)
      .filter(([, v]) => /[A-Za-z]{4,}/.test(v) && !/[А-Яа-яЁё]/.test(v))
      .map(([k, v]) => `${k}: ${v}`);
    // Product and format names may stay in Latin script.
    expect(latinOnly.filter((line) => !/MedAdmit|API|OpenAPI|English|E-mail/i.test(line))).toEqual([]);
  });

  it('localizes every problem code the API documents', () => {
    const doc = fs.readFileSync('docs/API.md', 'utf8');
    const codes = [...doc.matchAll(/`([a-z_]+)`/g)]
      .map((m) => m[1] ?? '')
      .filter((c) => /_/.test(c) || c === 'forbidden');
    const serialized = JSON.stringify(en);
    const missing = [...new Set(codes)].filter((code) => !serialized.includes(`"${code}"`));
    expect(missing).toEqual([]);
  });
});
