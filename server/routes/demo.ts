import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import type { ExportService } from '../exports/service.js';
import { validate } from '../validation.js';

/**
 * `/api/demo` (only with `--demo-controls`): lets the stakeholder demo show the
 * error paths for real. `POST /api/demo/next-export { behaviour: "fail" | "hang" }`
 * makes the active organisation's next dispatched export fail, or never finish
 * (its stream then times out); `"none"` disarms it.
 */
export function demoRoutes(exports: ExportService) {
  return new Hono<AppEnv>().post('/next-export', validate('json', z.object({ behaviour: z.enum(['fail', 'hang', 'none']) })), (c) => {
    const { behaviour } = c.req.valid('json');
    exports.setNextBehaviour(c.get('organizationId'), behaviour);
    return c.json({ nextExport: behaviour });
  });
}
