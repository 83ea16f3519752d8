import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Where Chromium or Chrome usually is: Debian/Ubuntu, snap, Homebrew (Apple silicon and Intel), macOS apps. */
const USUAL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/homebrew/bin/chromium',
  '/usr/local/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** playwright-core's own browser, when `npx playwright-core install chromium` has put one there. */
function playwrightsOwn(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else the first found on PATH, in the usual places,
 * or playwright-core's own. Nothing is ever downloaded; with none found, the error says what to install.
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    if (executable(chosen)) return chosen;
    throw new Error(`CHROMIUM_PATH=${chosen} is not an executable file`);
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => ON_PATH.map((name) => join(dir, name)));
  const found = [...onPath, ...USUAL_PATHS, playwrightsOwn()].find((path) => path !== undefined && executable(path));
  if (found) return found;
  throw new Error(
    'No Chromium found for the browser tests. Install one (Debian/Ubuntu: apt-get install chromium; ' +
      'macOS: brew install --cask chromium; anywhere: npx playwright-core install chromium), ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}
