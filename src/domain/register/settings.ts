import { z } from 'zod';
import { DEFAULT_PASS_MARKS } from './scales.js';

/**
 * Register settings per university (data an officer changes): at-risk thresholds, which alerts go
 * out, and the pass marks of the scales. Source: S1-6 (the register is visible to the
 * administration, students and parents); the thresholds are the university's own policy.
 */
export const registerSettingsSchema = z
  .object({
    atRisk: z
      .object({
        /** At risk when attendance falls below this share (0.8 = 80 %). */
        minAttendanceRate: z.number().min(0).max(1).default(0.8),
        /** At risk after this many unexcused absences in a row. */
        absenceStreak: z.number().int().min(1).max(50).default(3),
        /** At risk with any grade below the pass mark in the term. */
        failingGrade: z.boolean().default(true),
      })
      .strict()
      .default({ minAttendanceRate: 0.8, absenceStreak: 3, failingGrade: true }),
    alerts: z
      .object({
        absenceStreak: z.boolean().default(true),
        failingGrade: z.boolean().default(true),
        lowAttendance: z.boolean().default(true),
        /** Hour (UTC) at which the daily digest goes out. */
        digestHourUtc: z.number().int().min(0).max(23).default(6),
      })
      .strict()
      .default({ absenceStreak: true, failingGrade: true, lowAttendance: true, digestHourUtc: 6 }),
    passMarks: z
      .object({
        five_point: z.number().int().min(2).max(5).default(DEFAULT_PASS_MARKS.five_point),
        hundred_point: z.number().int().min(0).max(100).default(DEFAULT_PASS_MARKS.hundred_point),
        pass_fail: z.literal(1).default(1),
      })
      .strict()
      .default({
        five_point: DEFAULT_PASS_MARKS.five_point,
        hundred_point: DEFAULT_PASS_MARKS.hundred_point,
        pass_fail: 1,
      }),
    lateCountsAsPresent: z.boolean().default(true),
  })
  .strict();

export type RegisterSettings = z.infer<typeof registerSettingsSchema>;

export const DEFAULT_REGISTER_SETTINGS: RegisterSettings = registerSettingsSchema.parse({});

/** Stored settings over the defaults (missing keys take the default; unknown keys are refused on save). */
export function resolveRegisterSettings(stored: unknown): RegisterSettings {
  const parsed = registerSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_REGISTER_SETTINGS;
}
