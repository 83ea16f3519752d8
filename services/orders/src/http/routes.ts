import type { Express } from 'express';
import helmet from 'helmet';
import type Redis from 'ioredis';
import type { Logger } from '@pizza/shared';
import type { OrdersContext } from '../application/context';
import { adminRoutes } from './admin';
import { adminOpsRoutes } from './admin-ops';
import { docsRoutes } from './docs';
import type { OrderLimits } from './limits';
import { menuRoutes } from './menu';
import { ordersRoutes } from './orders';

/** Every route of the order service, behind helmet's security headers. */
export function mountRoutes(
  app: Express,
  ctx: OrdersContext,
  options: { redis: Redis; adminToken: string; limits: OrderLimits; logger: Logger },
): void {
  app.use(helmet());
  app.use(docsRoutes());
  const admin = adminRoutes({ ...options, failures: options.limits.adminFailures });
  app.use('/api/v1', menuRoutes(ctx), ordersRoutes(ctx, options.limits), admin, adminOpsRoutes(options));
}
