import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support';

/**
 * An upload interrupted by a crash leaves its spool file (`spool/<uuid>.part`) behind; the API
 * removes those when it starts. One written to within the hour may be an upload another API
 * process on the same directory is receiving, and stays; so do files that are not spool files.
 * No database is involved (the spool is files only): SQLite suffices.
 */
describe('evidence spool files of interrupted uploads', () => {
  let dir: string;
  let api: TestApi | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reform-spool-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are removed when the API starts, unless recently written to', async () => {
    const spool = join(dir, 'spool');
    mkdirSync(spool, { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    for (const name of ['a1b2-crashed.part', 'c3d4-crashed.part', 'old-notes.txt']) {
      writeFileSync(join(spool, name), 'partial bytes');
      utimesSync(join(spool, name), twoHoursAgo, twoHoursAgo);
    }
    writeFileSync(join(spool, 'e5f6-receiving.part'), 'bytes still coming');

    api = await startTestApi({ platform: { evidence: { dir } } });
    expect(readdirSync(spool).sort()).toEqual(['e5f6-receiving.part', 'old-notes.txt']);
    expect(api.logs.filter((l) => l.msg === 'evidence: removed spool files of interrupted uploads').map((l) => l.files)).toEqual([2]);
  });
});
