import { describe, expect, it } from 'vitest';
import { checkDrafts, emptyItem, newTemplate, placeServerErrors } from './adaptation-drafts';

const item = {
  id: 'housing',
  title: { en: 'Housing', ru: 'Жильё' },
  dueDays: 3,
  workingDays: false,
  essential: true,
  source: '',
};

describe('adaptation checklist drafts', () => {
  it('turns valid drafts into the templates the API takes', () => {
    const drafts = [newTemplate('*', [item]), newTemplate('IN', [{ ...item, dueDays: 0, workingDays: true }])];
    expect(checkDrafts(drafts)).toEqual({
      templates: [
        { country: '*', items: [item] },
        { country: 'IN', items: [{ ...item, dueDays: 0, workingDays: true }] },
      ],
    });
  });

  it('names every wrong field by the same path as the API', () => {
    const bad = newTemplate('*', [item, item]);
    const blank = { ...emptyItem(), id: 'Bad Id', dueDays: '3.5' };
    const result = checkDrafts([bad, { ...newTemplate('*'), items: [blank] }, { ...newTemplate(''), items: [] }]);
    expect(result).toEqual({
      errors: {
        'templates.0.items.1.id': 'office.adaptation.errors.duplicateId',
        'templates.1.country': 'office.adaptation.errors.duplicateCountry',
        'templates.1.items.0.id': 'office.adaptation.errors.id',
        'templates.1.items.0.title.en': 'office.adaptation.errors.title',
        'templates.1.items.0.title.ru': 'office.adaptation.errors.title',
        'templates.1.items.0.dueDays': 'office.adaptation.errors.dueDays',
        'templates.2.country': 'office.adaptation.errors.country',
        'templates.2.items': 'office.adaptation.errors.items',
      },
    });
  });

  it("places the API's field errors on the inputs, and counts the rest", () => {
    expect(
      placeServerErrors([
        { field: 'body.templates.0.items.1.id', code: 'custom' },
        { field: 'body.templates.0.country', code: 'invalid_value' },
        { field: 'body.templates.1.items.0.dueDays', code: 'too_big' },
        { field: 'body.templates.1.items.0.title.ru', code: 'too_small' },
        { field: 'body.templates.1.items.0.colour', code: 'unknown_field' },
      ]),
    ).toEqual({
      errors: {
        'templates.0.items.1.id': 'office.adaptation.errors.duplicateId',
        'templates.0.country': 'office.adaptation.errors.duplicateCountry',
        'templates.1.items.0.dueDays': 'office.adaptation.errors.dueDays',
        'templates.1.items.0.title.ru': 'office.adaptation.errors.title',
      },
      unplaced: 1,
    });
  });
});
