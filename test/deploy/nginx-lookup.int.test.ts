import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findNginx, nginxAvailable } from './lib/nginx';

describe('finding nginx', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nginx-lookup-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  test('an nginx on PATH is the one used', () => {
    const nginx = path.join(dir, 'nginx');
    writeFileSync(nginx, '#!/bin/sh\n');
    chmodSync(nginx, 0o755);
    expect(findNginx({ PATH: dir }, [])).toBe(nginx);
  });

  test('without nginx, outside CI its tests are skipped with a message saying what to install', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(nginxAvailable({ PATH: dir }, [])).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Skipping the nginx tests: nginx not found on PATH .*apt-get install nginx-light.*brew install nginx/));
  });

  test('without nginx, in CI it is a failure', () => {
    expect(() => nginxAvailable({ PATH: dir, CI: 'true' }, [])).toThrow(/nginx not found on PATH.*CI=true: a missing tool fails the run/);
  });
});
