/** Who the applicant is: names, birth, citizenship and category; passport; visa. */
import { useTranslation } from 'react-i18next';
import { CATEGORIES } from './dossier-api';
import { CountrySelect, SelectField, TextField, TriSelect, useBinding } from './dossier-fields';

export function IdentitySection() {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section" id="dossier-identity">
      <legend>{t('dossier.identity.title')}</legend>
      <fieldset className="edit-row">
        <legend>{t('dossier.identity.latinName')}</legend>
        <p className="field-hint row-hint">{t('dossier.identity.latinHint')}</p>
        <div className="edit-row-grid">
          <TextField
            path="latinName.surname"
            label={t('dossier.identity.surname')}
            lang="en"
            autoComplete="family-name"
            spellCheck={false}
            required
          />
          <TextField
            path="latinName.givenNames"
            label={t('dossier.identity.givenNames')}
            lang="en"
            autoComplete="given-name"
            spellCheck={false}
            required
          />
        </div>
      </fieldset>
      <fieldset className="edit-row">
        <legend>{t('dossier.identity.cyrillicName')}</legend>
        <p className="field-hint row-hint">{t('dossier.identity.cyrillicHint')}</p>
        <div className="edit-row-grid">
          <TextField path="cyrillicName.surname" label={t('dossier.identity.surname')} lang="ru" spellCheck={false} />
          <TextField
            path="cyrillicName.givenNames"
            label={t('dossier.identity.givenNames')}
            lang="ru"
            spellCheck={false}
          />
          <TextField
            path="cyrillicName.patronymic"
            label={t('dossier.identity.patronymic')}
            lang="ru"
            spellCheck={false}
          />
        </div>
      </fieldset>
      <div className="edit-row-grid">
        <TextField path="dateOfBirth" type="date" label={t('dossier.identity.dateOfBirth')} autoComplete="bday" />
        <CountrySelect
          path="citizenship"
          label={t('dossier.identity.citizenship')}
          empty={t('dossier.identity.noCitizenship')}
        />
      </div>
      <SelectField path="category" label={t('dossier.identity.category')} hint={t('dossier.identity.categoryHint')}>
        {CATEGORIES.map((category) => (
          <option key={category} value={category}>
            {t(`dossier.categories.${category}`)}
          </option>
        ))}
      </SelectField>
    </fieldset>
  );
}

export function PassportSection() {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section" id="dossier-passport">
      <legend>{t('dossier.passport.title')}</legend>
      <p className="field-hint">{t('dossier.passport.hint')}</p>
      <div className="edit-row-grid">
        <TextField
          path="passport.number"
          label={t('dossier.passport.number')}
          spellCheck={false}
          autoCapitalize="characters"
        />
        <CountrySelect
          path="passport.issuingCountry"
          label={t('dossier.passport.issuingCountry')}
          empty={t('dossier.chooseCountry')}
        />
      </div>
      <div className="edit-row-grid">
        <TextField path="passport.issuedOn" type="date" label={t('dossier.passport.issuedOn')} />
        <TextField path="passport.expiresOn" type="date" label={t('dossier.passport.expiresOn')} />
      </div>
    </fieldset>
  );
}

export function VisaSection() {
  const { t } = useTranslation();
  const { get } = useBinding();
  const onVisa = get('visa.enteredOnVisa') === 'true';
  return (
    <fieldset className="edit-section" id="dossier-visa">
      <legend>{t('dossier.visa.title')}</legend>
      <TriSelect path="visa.enteredOnVisa" label={t('dossier.visa.enteredOnVisa')} hint={t('dossier.visa.hint')} />
      {onVisa && (
        <div className="edit-row-grid">
          <TextField path="visa.number" label={t('dossier.visa.number')} spellCheck={false} />
          <TextField path="visa.expiresOn" type="date" label={t('dossier.visa.expiresOn')} />
        </div>
      )}
    </fieldset>
  );
}
