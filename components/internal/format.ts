/**
 * The numbers, durations and times the elements show, formatted with `Intl`
 * for the element's locale (`LocaleController.locale`; undefined: the browser's).
 */

interface DurationFormat {
  format(duration: Record<string, number>): string;
}
/** Not in TypeScript's lib yet; Chromium, Firefox and Safari have it. */
const DurationFormat = (Intl as unknown as { DurationFormat?: new (locale?: string, options?: object) => DurationFormat }).DurationFormat;

/** A length in minutes as hours and minutes: `1 hr, 30 min`, `1 Std., 30 Min.`, `45 分`. */
export const formatMinutes = (total: number, locale?: string): string =>
  DurationFormat
    ? new DurationFormat(locale, { style: 'short' }).format({ hours: Math.floor(total / 60), minutes: Math.round(total % 60) })
    : // Without Intl.DurationFormat: minutes alone, in the locale's words (`90 min`).
      new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute' }).format(total);

/** Elapsed seconds as a clock: `0:07`, `1:02:03` (in the locale's digits). */
export function formatElapsed(total: number, locale?: string): string {
  const s = Math.max(0, Math.floor(total));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor(s / 60) % 60;
  const seconds = s % 60;
  // Numeric units make a clock in the locale's digits (minutes unpadded below an hour, as `digital` does not).
  if (DurationFormat)
    return new DurationFormat(locale, hours ? { style: 'digital' } : { minutes: 'numeric', seconds: 'numeric' }).format({
      hours,
      minutes,
      seconds,
    });
  const two = (n: number) => String(n).padStart(2, '0');
  return hours ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}
