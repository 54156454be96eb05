/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), as an admission officer counts: dates, not instants,
 * so no time zone can shift a deadline by a day.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parse(isoDate: string): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(isoDate);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]) - 1;
  const day = Number(m?.[3]);
  const check = new Date(Date.UTC(year, month, day));
  if (!m || check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${isoDate}`);
  }
  return { year, month, day };
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Calendar months later, ending on the last day of a shorter month (31 Aug + 6 months = 28 or 29 Feb):
 * "valid for 20 months" is read that way, and it never reaches into the month after.
 */
export function addMonths(isoDate: string, months: number): string {
  const { year, month, day } = parse(isoDate);
  const lastDay = new Date(Date.UTC(year, month + months + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(year, month + months, Math.min(day, lastDay))));
}

/** Whole days from `from` to `to` (negative when `to` is earlier); how old a certificate is. */
export function daysBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  return Math.round((Date.UTC(b.year, b.month, b.day) - Date.UTC(a.year, a.month, a.day)) / DAY_MS);
}
