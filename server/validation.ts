import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors.js';

export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/**
 * Text the server stores or looks up: never U+0000, which PostgreSQL's text
 * cannot hold. Refused on both engines, so a request means the same on either.
 */
export const storedText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain the character U+0000');

/**
 * Hono's zod validator with the API's error shape: the first problem becomes a
 * 400 `invalid_request` whose sentence names the field.
 */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : target;
      throw new ApiError('invalid_request', `Invalid ${field}: ${issue?.message ?? 'not valid'}.`);
    }
  });
