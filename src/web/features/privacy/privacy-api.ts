/** Client of the personal-data API: consent texts and records, and the export of everything held about me. */
import { request } from '../../api';

export interface ConsentText {
  purpose: 'health_data';
  version: string;
  current: boolean;
  effectiveFrom: string;
  locale: 'en' | 'ru';
  title: string;
  body: string;
  textSha256: string;
}

export interface Consent {
  id: string;
  purpose: string;
  textVersion: string;
  textSha256: string;
  locale: string;
  givenAt: string;
  withdrawnAt: string | null;
  active: boolean;
}

type Signal = AbortSignal | undefined;

export const privacyApi = {
  text: (locale: 'en' | 'ru', signal?: Signal) =>
    request<ConsentText>('GET', `/api/v1/consents/health_data?locale=${locale}`, undefined, { signal }),
  consents: (signal?: Signal) => request<{ items: Consent[] }>('GET', '/api/v1/me/consents', undefined, { signal }),
  give: (text: ConsentText) =>
    request<Consent>('POST', '/api/v1/me/consents', {
      purpose: text.purpose,
      textVersion: text.version,
      locale: text.locale,
    }),
  withdraw: (id: string) => request<Consent>('POST', `/api/v1/me/consents/${encodeURIComponent(id)}/withdraw`, {}),
  /** A plain link: the browser downloads the JSON attachment with the session cookie. */
  exportUrl: '/api/v1/me/export',
};
