import { z } from 'zod';
import { ZCampaignInput } from '../../domain/campaign/campaign.schema.js';
import { ZText } from '../../domain/catalog/catalog.schema.js';
import type { applicationView, ChoiceView } from '../applications/application.service.js';

export const ZCheck = z.object({
  id: z.string(),
  status: z.enum(['pass', 'fail', 'review', 'missing']),
  blocking: z.boolean(),
  code: z.string().describe('reason code; the UI localizes it with params'),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  source: z.string(),
});

export const ZCompetition = z
  .object({
    id: z.uuid(),
    program: z.object({ slug: z.string(), title: ZText, level: z.string(), languages: z.array(z.string()) }),
    funding: z.string(),
    studyForm: z.string(),
    applicantGroup: z.string(),
    seats: z.number().int().describe('seats the university set (S4-4)'),
    revertsTo: z.uuid().nullable().describe('competition that receives the unfilled seats'),
  })
  .meta({ id: 'Competition' });

export const ZCampaign = ZCampaignInput.omit({ competitions: true })
  .extend({
    id: z.uuid(),
    competitions: z.array(ZCompetition),
    updatedAt: z.string(),
  })
  .meta({ id: 'Campaign' });

export const ZApplicationView = z
  .object({
    campaign: z.object({ slug: z.string(), title: ZText, maxPriorities: z.number().int() }),
    application: z
      .object({
        id: z.uuid(),
        status: z.enum(['draft', 'submitted', 'withdrawn']),
        number: z.string().nullable(),
        submittedAt: z.string().nullable(),
        snapshotSha256: z.string().nullable(),
      })
      .nullable(),
    choices: z.array(
      z.object({
        priority: z.number().int(),
        competition: ZCompetition,
        checks: z.array(ZCheck),
        complete: z.boolean(),
        window: z.object({
          state: z.enum(['not_open', 'open', 'closed', 'not_stated']),
          cutoff: z.string().nullable(),
        }),
      }),
    ),
    extensionUntil: z.string().nullable(),
    timeline: z.array(z.object({ at: z.string(), type: z.string(), data: z.unknown() })),
  })
  .meta({ id: 'ApplicationView' });

export const ZReceipt = z
  .object({ applicationId: z.uuid(), number: z.string(), submittedAt: z.string(), snapshotSha256: z.string() })
  .meta({
    id: 'Receipt',
    description: 'proof of submission: number, server time, SHA-256 of the submitted dossier snapshot',
  });

export function presentCompetition(c: Pick<ChoiceView, 'competition' | 'program'>): z.infer<typeof ZCompetition> {
  return {
    id: c.competition.id,
    program: {
      slug: c.program.slug,
      title: { en: c.program.titleEn, ru: c.program.titleRu },
      level: c.program.level,
      languages: c.program.languages,
    },
    funding: c.competition.funding,
    studyForm: c.competition.studyForm,
    applicantGroup: c.competition.applicantGroup,
    seats: c.competition.seats,
    revertsTo: c.competition.revertsToId,
  };
}

export function presentApplicationView(
  campaign: { slug: string; titleEn: string; titleRu: string; maxPriorities: number },
  view: Awaited<ReturnType<typeof applicationView>>,
): z.infer<typeof ZApplicationView> {
  const a = view.application;
  return {
    campaign: {
      slug: campaign.slug,
      title: { en: campaign.titleEn, ru: campaign.titleRu },
      maxPriorities: campaign.maxPriorities,
    },
    application: a
      ? {
          id: a.id,
          status: a.status as 'draft' | 'submitted' | 'withdrawn',
          number: a.number,
          submittedAt: a.submittedAt?.toISOString() ?? null,
          snapshotSha256: a.snapshotSha256,
        }
      : null,
    choices: view.choices.map((c) => ({
      priority: c.priority,
      competition: presentCompetition(c),
      checks: c.checks,
      complete: c.complete,
      window: { state: c.window.state, cutoff: c.window.cutoff?.toISOString() ?? null },
    })),
    extensionUntil: view.extension?.toISOString() ?? null,
    timeline: view.timeline.map((e) => ({ at: e.at.toISOString(), type: e.type, data: e.data })),
  };
}
