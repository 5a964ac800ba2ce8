/**
 * The numbers, durations and times the elements show, formatted with `Intl`
 * for the element's locale (`LocaleController.locale`; undefined: the browser's).
 */

interface DurationFormat {
  format(duration: Record<string, number>): string;
}
/** Not in TypeScript's lib yet; Chromium, Firefox and Safari have it. */
const DurationFormat = (Intl as unknown as { DurationFormat?: new (locale?: string, options?: object) => DurationFormat }).DurationFormat;

type Formatter = { format(value: never): string };
const made = new Map<string, Formatter>();
/**
 * One formatter per kind and locale, made on first use: making an Intl
 * formatter costs far more than formatting with it, and a picker formats every
 * visible option's duration on each keystroke (BENCHMARKS.md, bench:widgets).
 */
function formatter<F extends Formatter>(kind: string, locale: string | undefined, make: () => F): F {
  const key = `${kind} ${locale ?? ''}`;
  let f = made.get(key) as F | undefined;
  if (!f) made.set(key, (f = make()));
  return f;
}

/** A length in minutes as hours and minutes: `1 hr, 30 min`, `1 Std., 30 Min.`, `45 分`. */
export function formatMinutes(total: number, locale?: string): string {
  const minutes = Math.round(total);
  try {
    if (DurationFormat && minutes > 0)
      return formatter('short', locale, () => new DurationFormat(locale, { style: 'short' })).format({
        hours: Math.floor(minutes / 60),
        minutes: minutes % 60,
      });
  } catch {
    // Out of DurationFormat's range: as minutes, below.
  }
  // Without Intl.DurationFormat, and for zero, negative or unreadable values (never thrown): minutes alone (`90 min`).
  return formatter('minute', locale, () => new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute' })).format(minutes);
}

/** Elapsed seconds as a clock: `0:07`, `1:02:03` (in the locale's digits). */
export function formatElapsed(total: number, locale?: string): string {
  const s = Math.max(0, Math.floor(total) || 0);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor(s / 60) % 60;
  const seconds = s % 60;
  // Numeric units make a clock in the locale's digits (minutes unpadded below an hour, as `digital` does not).
  if (DurationFormat)
    return formatter(
      hours ? 'digital' : 'clock',
      locale,
      () => new DurationFormat(locale, hours ? { style: 'digital' } : { minutes: 'numeric', seconds: 'numeric' }),
    ).format({
      hours,
      minutes,
      seconds,
    });
  const two = (n: number) => String(n).padStart(2, '0');
  return hours ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}
