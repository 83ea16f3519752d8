import { BaseEnv, LocalStackEnv, LocalStackInfo } from '@pizza/shared';

/** The dead-letter tool needs Redis only. */
export const DlqEnv = BaseEnv.pick({ REDIS_URL: true, LOG_LEVEL: true });

/** `npm run demo:load`: the admin token its orders carry (else the running stack's), and where that stack is. */
export const DemoLoadEnv = LocalStackEnv.extend({
  ADMIN_TOKEN: LocalStackInfo.shape.admin_token.min(1).optional(),
});
