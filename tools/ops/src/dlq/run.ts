import {
  countDeadLetters,
  getDeadLetter,
  listDeadLetters,
  purgeDeadLetters,
  replayAllDeadLetters,
  replayDeadLetter,
  type Output,
} from '@pizza/shared';
import type { DlqCommand } from './args';
import { formatList, formatShow } from './format';

type Redis = Parameters<typeof listDeadLetters>[0];

/** Exit codes: 0 done, 1 unknown dead letter, 2 refused (purge without --yes). */
export const EXIT = { ok: 0, notFound: 1, refused: 2 } as const;

const STREAM_ID = /^\d+(-\d+)?$/;

/** Runs one dead-letter command against Redis and returns the process exit code. */
export async function runDlq(
  command: Exclude<DlqCommand, { name: 'help' }>,
  redis: Redis,
  io: Output,
  now = () => new Date(),
): Promise<number> {
  const notFound = (id: string) => {
    io.err(`no dead letter with ID ${id}`);
    return EXIT.notFound;
  };
  switch (command.name) {
    case 'list': {
      const [letters, total] = await Promise.all([
        listDeadLetters(redis, command.limit),
        countDeadLetters(redis),
      ]);
      io.out(formatList(letters, total, now()));
      return EXIT.ok;
    }
    case 'show': {
      const letter = STREAM_ID.test(command.id) ? await getDeadLetter(redis, command.id) : undefined;
      if (!letter) return notFound(command.id);
      io.out(formatShow(letter, now()));
      return EXIT.ok;
    }
    case 'replay': {
      const replayed = STREAM_ID.test(command.id) ? await replayDeadLetter(redis, command.id) : undefined;
      if (!replayed) return notFound(command.id);
      const only = replayed.group ? ` for ${replayed.group} only` : '';
      io.out(`replayed ${command.id} to ${replayed.stream}${only} as ${replayed.newId}`);
      return EXIT.ok;
    }
    case 'replay-all': {
      const count = await replayAllDeadLetters(redis);
      io.out(`replayed ${count} dead letter(s)`);
      return EXIT.ok;
    }
    case 'purge': {
      if (!command.yes) {
        const count = await countDeadLetters(redis);
        io.err(`refusing to purge ${count} dead letter(s) without --yes: npm run dlq -- purge --yes`);
        return EXIT.refused;
      }
      io.out(`purged ${await purgeDeadLetters(redis)} dead letter(s)`);
      return EXIT.ok;
    }
  }
}
