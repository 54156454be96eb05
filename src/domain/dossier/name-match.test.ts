import { describe, expect, it } from 'vitest';
import { matchNames } from './name-match.js';

function given(latin: string, cyrillic: string, patronymic: string | null = null) {
  const result = matchNames(
    { surname: 'Ivanov', givenNames: latin },
    { surname: 'Иванов', givenNames: cyrillic, patronymic },
  );
  const part = result.parts.find((p) => p.part === 'givenNames');
  if (!part) throw new Error('no given-names part');
  return part;
}

function surname(latin: string, cyrillic: string) {
  const result = matchNames(
    { surname: latin, givenNames: 'Iuliia' },
    { surname: cyrillic, givenNames: 'Юлия', patronymic: null },
  );
  const part = result.parts.find((p) => p.part === 'surname');
  if (!part) throw new Error('no surname part');
  return part;
}

describe('matchNames', () => {
  it('S4-10: "Iuliia" is "Юлия" as a Russian passport (ICAO Doc 9303) writes it', () => {
    const result = matchNames(
      { surname: 'Ivanova', givenNames: 'Iuliia' },
      { surname: 'Иванова', givenNames: 'Юлия', patronymic: null },
    );
    expect(result.verdict).toBe('match');
    expect(result.parts).toEqual([
      {
        part: 'surname',
        latin: 'Ivanova',
        cyrillic: 'Иванова',
        verdict: 'match',
        closest: 'Ivanova',
        scheme: 'ICAO Doc 9303',
        similarity: 1,
      },
      {
        part: 'givenNames',
        latin: 'Iuliia',
        cyrillic: 'Юлия',
        verdict: 'match',
        closest: 'Iuliia',
        scheme: 'ICAO Doc 9303',
        similarity: 1,
      },
    ]);
  });

  it('S4-10: "Julia" for "Юлия" is close but no scheme writes it, so an officer reviews it', () => {
    const part = given('Julia', 'Юлия');
    expect(part.verdict).toBe('review');
    expect(part.similarity).toBeGreaterThanOrEqual(0.75);
  });

  it('S4-10: "Maria" is not "Юлия"', () => {
    expect(given('Maria', 'Юлия').verdict).toBe('mismatch');
  });

  it('S4-10: "Alekseev" and "Alekseyev" both match "Алексеев", by different schemes', () => {
    const plain = surname('Alekseev', 'Алексеев');
    const withY = surname('Alekseyev', 'Алексеев');
    expect(plain).toMatchObject({ verdict: 'match', scheme: 'ICAO Doc 9303' });
    expect(withY.verdict).toBe('match');
    expect(withY.scheme).not.toBe('ICAO Doc 9303');
    expect(withY.closest).toBe('Alekseyev');
  });

  it('S4-10: common Russian surnames match: Ivanov, Shcherbakov, Tsoi', () => {
    expect(surname('Ivanov', 'Иванов').verdict).toBe('match');
    expect(surname('Shcherbakov', 'Щербаков').verdict).toBe('match');
    expect(surname('TSOI', 'Цой')).toMatchObject({ verdict: 'match', closest: 'Tsoi' });
  });

  it('S4-10: several given names match word for word ("Abdullahi Musa" = "Абдуллахи Муса")', () => {
    expect(given('Abdullahi Musa', 'Абдуллахи Муса').verdict).toBe('match');
  });

  it("S4-10: a translator's rendering of a Nigerian name goes to review, not mismatch", () => {
    const part = given('Chukwuemeka', 'Чукуэмека');
    expect(part).toMatchObject({ verdict: 'review', closest: 'Chukuemeka', scheme: 'ICAO Doc 9303' });
  });

  it('S4-10: a different surname is a mismatch, and the overall verdict is the worst part', () => {
    const result = matchNames(
      { surname: 'Okonkwo', givenNames: 'Iuliia' },
      { surname: 'Иванова', givenNames: 'Юлия', patronymic: null },
    );
    expect(result.parts.map((p) => p.verdict)).toEqual(['mismatch', 'match']);
    expect(result.verdict).toBe('mismatch');
  });

  it('ignores case, hyphens, apostrophes and spaces', () => {
    expect(surname('ter-petrosian', 'Тер-Петросян').verdict).toBe('match');
    expect(surname('TerPetrosian', 'Тер-Петросян').verdict).toBe('match');
    expect(given("Natal'ya", 'Наталья').verdict).toBe('match');
    expect(given('Natalya', 'Наталья').verdict).toBe('match');
  });

  it('handles ё and е/йе spellings through the scheme variety', () => {
    expect(given('Fyodor', 'Фёдор').verdict).toBe('match');
    expect(given('Fedor', 'Фёдор').verdict).toBe('match');
    expect(given('Yevgeny', 'Евгений').verdict).toBe('match');
    expect(given('Evgenii', 'Евгений').verdict).toBe('match');
  });

  it('S4-10: ignores the patronymic unless the Latin given names have a word for it', () => {
    expect(given('Ivan', 'Иван', 'Петрович').verdict).toBe('match');
    const withPatronymic = given('Ivan Petrovich', 'Иван', 'Петрович');
    expect(withPatronymic).toMatchObject({ verdict: 'match', cyrillic: 'Иван Петрович' });
    expect(given('Ivan Petrovich', 'Иван').verdict).not.toBe('match');
  });
});
