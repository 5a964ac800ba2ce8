/** The first Chromium there is: $CHROME_PATH, else a system one; undefined if none. */
export function findChromium(): string | undefined;
/** The Chromium every test and benchmark launches (throws when there is none). */
export function chromiumPath(): string;
/** Flags for a headless Chromium on a machine with no network beyond loopback. */
export const CHROMIUM_ARGS: string[];
