import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import type { ExportService } from '../exports/service.js';
import { validate } from '../validation.js';

/**
 * `/api/demo` (only with `--demo-controls`): lets the stakeholder demo show the
 * error paths for real. `POST /api/demo/next-export { behaviour: "fail" | "hang" }`
 * makes the active organisation's next dispatched export fail, or never finish
 * (its stream then times out, and the job fails at its deadline); `"none"`
 * disarms it. `POST /api/demo/exhaust-quota` counts the organisation's export
 * allowance for this month as spent, `POST /api/demo/reset-quota` as unspent.
 */
export function demoRoutes(exports: ExportService) {
  const quota = (action: 'exhaust' | 'reset') => async (c: Context<AppEnv>) => {
    const allowance = await exports.setDemoSpending(c.get('organizationId'), action);
    if (!allowance) {
      throw new ApiError(
        'invalid_request',
        'This server has no export allowance (POS_EXPORT_QUOTA_CENTS is not set): there is nothing to exhaust or reset.',
      );
    }
    return c.json({ quota: allowance });
  };
  return new Hono<AppEnv>()
    .post('/next-export', validate('json', z.object({ behaviour: z.enum(['fail', 'hang', 'none']) })), (c) => {
      const { behaviour } = c.req.valid('json');
      exports.setNextBehaviour(c.get('organizationId'), behaviour);
      return c.json({ nextExport: behaviour });
    })
    .post('/exhaust-quota', quota('exhaust'))
    .post('/reset-quota', quota('reset'));
}
