import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumExecutable } from './chromium';

describe('the Chromium of the browser tests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chromium-lookup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakeBrowser(name: string): string {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  }

  test('CHROMIUM_PATH wins, and a wrong one is named', () => {
    const chosen = fakeBrowser('my-chrome');
    expect(chromiumExecutable({ CHROMIUM_PATH: chosen, PATH: '' })).toBe(chosen);
    expect(() => chromiumExecutable({ CHROMIUM_PATH: join(dir, 'nope') })).toThrow(`CHROMIUM_PATH=${join(dir, 'nope')} is not an executable file`);
  });

  test('a chromium on PATH is found before the usual places', () => {
    const onPath = fakeBrowser('chromium-browser');
    expect(chromiumExecutable({ PATH: dir })).toBe(onPath);
  });

  test('whatever it finds can be run', () => {
    let found: string | undefined;
    try {
      found = chromiumExecutable({ PATH: process.env.PATH });
    } catch (error) {
      // None on this machine: the message must say what to install.
      expect(String(error)).toMatch(/apt-get install chromium.*brew install --cask chromium.*CHROMIUM_PATH/);
    }
    if (found) expect(found).toMatch(/chrom/i);
  });
});
