import { BaseEnv } from '@pizza/shared';

/** The dead-letter tool needs Redis only. */
export const DlqEnv = BaseEnv.pick({ REDIS_URL: true, LOG_LEVEL: true });
