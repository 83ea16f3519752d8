import { chromium } from 'playwright-core';
import { findOnPath, isExecutable } from './executables';

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
    if (isExecutable(chosen)) return chosen;
    throw new Error(`CHROMIUM_PATH=${chosen} is not an executable file`);
  }
  const found = findOnPath(ON_PATH, env) ?? [...USUAL_PATHS, playwrightsOwn()].find((path) => path !== undefined && isExecutable(path));
  if (found) return found;
  throw new Error(
    'No Chromium found for the browser tests. Install one (Debian/Ubuntu: apt-get install chromium; ' +
      'macOS: brew install --cask chromium; anywhere: npx playwright-core install chromium), ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}
