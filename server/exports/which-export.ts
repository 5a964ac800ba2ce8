/**
 * Which job a request for (lesson, cache key) means: THE one rule, used by the
 * dispatch's cache hit (storage's exports.completedFor) and by the stream
 * (exports.outcomes), so the two halves of the API can never pick different jobs.
 *
 *   The export of a lesson is its newest *fresh* job (created at or after the
 *   lesson's `updatedAt`); with a cache key, its newest fresh job with that key.
 *   Without one, any fresh job counts, whoever dispatched it and with whatever key.
 *
 * A dispatch answers a cache hit (200) exactly when that job is completed, and
 * otherwise creates a new one; a stream announces that job's end (`completed`
 * or `error`) as soon as it has one, and waits while it is pending or there is
 * none. So a dispatch answers a hit exactly when a stream opened with the same
 * lesson and key would announce `completed` at once.
 *
 * `lessonId` and `cacheKey` are SQL expressions (a parameter, a column), each
 * evaluated more than once; the fragment is the job's id, or NULL.
 * The CASE keeps each branch on an index: (lesson_id, created_at) without a
 * key, (lesson_id, cache_key, created_at) with one.
 *
 * PostgreSQL's dialect of the same rule is in server/storage/postgres.ts;
 * test/server/storage-contract.test.ts holds both engines to the same answers.
 */
export const theExportId = (lessonId: string, cacheKey: string) => `
  CASE WHEN ${cacheKey} IS NULL THEN (
    SELECT x.id FROM export_jobs x
    WHERE x.lesson_id = ${lessonId} AND x.created_at >= (SELECT updated_at FROM lessons WHERE id = ${lessonId})
    ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1
  ) ELSE (
    SELECT x.id FROM export_jobs x
    WHERE x.lesson_id = ${lessonId} AND x.cache_key = ${cacheKey} AND x.created_at >= (SELECT updated_at FROM lessons WHERE id = ${lessonId})
    ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1
  ) END`;
