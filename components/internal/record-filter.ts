import { fold, normalizeQuery } from './text-match.js';

/** Whether two lists hold the same items in the same order (`===`). */
export const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** How the filter reads a picker's records. */
export interface RecordFilterOptions<T> {
  /** The value a record stands for. */
  id(record: T): string;
  /** Everything the filter searches, as one text. */
  searchText(record: T): string;
  /** Extra narrowing (e.g. by tag). */
  accept(record: T): boolean;
  /** The order records are shown in, after filtering. */
  arrange(records: T[]): readonly T[];
}

/**
 * A picker's records as shown: filtered by the query (case-insensitive
 * substring of each record's search text) and the subclass's narrowing,
 * memoised on its inputs, and records by id, per records array, so renders
 * look selections up without a scan of 10,000 records.
 */
export class RecordFilter<T> {
  /** The filtered list, a new array only when an input changed. */
  shown: readonly T[] = [];
  #key: readonly unknown[] = [];
  /** The folded search text of each record, per records array, with the locale `version` it was made for. */
  readonly #search = new WeakMap<readonly T[], string[] & { version?: number }>();
  readonly #index = new WeakMap<readonly T[], Map<string, T>>();

  readonly #options: RecordFilterOptions<T>;

  constructor(options: RecordFilterOptions<T>) {
    this.#options = options;
  }

  /**
   * Filters again if `records`, `query`, the locale (folding case and diacritics; `version` changes with it)
   * or one of `args` changed; returns whether the list is new.
   */
  update(
    records: readonly T[],
    query: string,
    { locale, version }: { locale?: string; version: number },
    args: readonly unknown[],
  ): boolean {
    const needle = normalizeQuery(query, locale);
    const key = [records, needle, version, ...args];
    if (sameList(key, this.#key)) return false;
    this.#key = key;
    let search = this.#search.get(records);
    if (search?.version !== version) {
      search = Object.assign(
        records.map((r) => fold(this.#options.searchText(r), locale)),
        { version },
      );
      this.#search.set(records, search);
    }
    this.shown = this.#options.arrange(records.filter((r, i) => (!needle || search[i]!.includes(needle)) && this.#options.accept(r)));
    return true;
  }

  /** The records of `records` by id. */
  index(records: readonly T[]): Map<string, T> {
    let index = this.#index.get(records);
    if (!index) {
      index = new Map(records.map((r) => [this.#options.id(r), r] as const));
      this.#index.set(records, index);
    }
    return index;
  }
}
