/** The student's own adaptation checklist after arrival; shown once there is one (and the server offers it). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useResource } from '../catalog/use-resource';
import { AdaptationChecklist } from './adaptation';
import { type Adaptation, workApi } from './work-api';

export function MyAdaptation() {
  const { t } = useTranslation();
  const loaded = useResource('my-adaptation', (signal) => workApi.myAdaptation(signal));
  const [lists, setLists] = useState<Adaptation[] | null>(null);
  useEffect(() => {
    if (loaded.data) setLists(loaded.data);
  }, [loaded.data]);
  if (!lists || lists.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="my-adaptation">
      <h2 id="my-adaptation">{t('agency.adaptation.mine')}</h2>
      <p className="field-hint">{t('agency.adaptation.mineLead')}</p>
      <AdaptationChecklist
        checklists={lists}
        onToggle={async (university, itemId, done) => {
          const next = await workApi.setMyAdaptationItem(itemId, { done, university });
          setLists(next);
          return next;
        }}
      />
    </section>
  );
}
