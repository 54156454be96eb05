/** Where a file's portfolio score stands: waiting for readers, waiting for the senior reviewer, or final. */
import { useTranslation } from 'react-i18next';
import { localeOf } from '../catalog/format';
import type { FileStatus } from './reviews-api';
import { formatNumber } from './score-model';

const TONE: Record<FileStatus['status'], string> = {
  incomplete: 'notice-info',
  needs_reconciliation: 'notice-info',
  final: 'notice-success',
};

export function FileStatusNotice({ status, maximum }: { status: FileStatus; maximum: number }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <div
      className={`notice ${TONE[status.status]}`}
      role="status"
      data-testid="file-status"
      data-status={status.status}
    >
      <p>
        <strong>{t(`reviews.fileStatus.${status.status}`)}</strong>
      </p>
      <p>
        {status.status === 'final'
          ? t('reviews.fileStatus.finalText', {
              total: formatNumber(status.total ?? 0, locale),
              maximum: formatNumber(maximum, locale),
            })
          : status.status === 'incomplete'
            ? t('reviews.fileStatus.incompleteText', {
                submitted: status.readersSubmitted,
                required: status.readersRequired,
              })
            : t('reviews.fileStatus.needs_reconciliationText')}
      </p>
    </div>
  );
}
