import { expect } from 'vitest';
import { currentConsentText } from '../../src/domain/consent/texts.js';
import type { Agent } from './test-app.js';

/** Gives the signed-in person's consent to the processing of health data (needed before a medical report upload). */
export async function giveHealthConsent(agent: Agent): Promise<{ id: string }> {
  const res = await agent.post('/api/v1/me/consents', {
    purpose: 'health_data',
    textVersion: currentConsentText('health_data').version,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json() as { id: string };
}
