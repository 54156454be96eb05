import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/page-title';
import { AskConsultantForm } from './ask-form';
import './agency.css';

/** The general "ask a consultant" page, for questions about no program or university in particular. */
export function AskPage() {
  const { t } = useTranslation();
  usePageTitle(t('agency.ask.title'));
  return (
    <div className="page page-narrow ask-page">
      <AskConsultantForm headingLevel={1} />
    </div>
  );
}
