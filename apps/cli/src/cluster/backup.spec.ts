import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBackup } from './backup';

describe('a backup folder, read before a restore changes anything', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reform-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = { format: 1, createdAt: '2026-01-01T00:00:00.000Z', temporalServer: 'v1.29.1', shards: 4, dumps: { temporal: 'temporal.dump', visibility: 'visibility.dump', product: 'product.dump' }, data: false };

  it('refuses a folder that is not a backup, a manifest of another format, a missing dump; in Chinese, naming the file', () => {
    expect(() => readBackup(dir)).toThrow(`${dir} 不是 reform cluster backup 写的备份(没有可读的 backup.json)`);
    writeFileSync(join(dir, 'backup.json'), JSON.stringify({ ...manifest, format: 2 }));
    expect(() => readBackup(dir)).toThrow(`${join(dir, 'backup.json')} 的格式不认识(format 2)`);
    writeFileSync(join(dir, 'backup.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'temporal.dump'), 'x');
    writeFileSync(join(dir, 'visibility.dump'), 'x');
    expect(() => readBackup(dir)).toThrow(`备份不完整:缺少 ${join(dir, 'product.dump')}`);
  });

  it('answers the manifest of a whole backup', () => {
    writeFileSync(join(dir, 'backup.json'), JSON.stringify(manifest));
    for (const f of Object.values(manifest.dumps)) writeFileSync(join(dir, f), 'x');
    expect(readBackup(dir)).toEqual({ dir, manifest });
  });
});
