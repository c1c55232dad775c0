import { toolPaths } from '@reform/config';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoLogins, reform, ROOT, startProduct } from './cli';

describe('reform plan register --id', () => {
  let dataDir: string;
  // Ports of its own, apart from the other e2e tests and a developer's `npm start`.
  const env = () => ({ REFORM_DATA_DIR: dataDir, TEMPORAL_PORT: '27273', TEMPORAL_UI_PORT: '28273', REFORM_API_PORT: '29273', TEMPORAL_ADDRESS: '' });
  // Registered by the lead department's demo user, with the password the first start wrote.
  const start = () =>
    reform(['plan', 'register', '--title', '关于深化营商环境改革的实施方案', '--leader', '王副省长', '--person', '李明', '--group', 'demo-econ', '--id', 'e2e-reused'], {
      ...env(),
      REFORM_USER: 'demo-ndrc',
      REFORM_PASSWORD: demoLogins(dataDir)['demo-ndrc'],
    });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reform-plan-id-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses an id already used, by a running plan and by a terminated one, in a sentence', async () => {
    const product = await startProduct(env());
    try {
      expect(start()).toMatchObject({ status: 0, stdout: expect.stringContaining('编号:e2e-reused') });

      const running = start();
      expect(running.status).toBe(1);
      expect(running.stderr).toContain('方案编号「e2e-reused」已被使用(该编号的方案正在办理中),请换一个编号');
      expect(running.stderr).not.toMatch(/\n\s+at /);

      const terminate = spawnSync(toolPaths(ROOT).temporalCli, ['workflow', 'terminate', '--workflow-id', 'e2e-reused', '--reason', 'e2e', '--address', '127.0.0.1:27273'], { encoding: 'utf8' });
      expect(terminate.status).toBe(0);
      const closed = start();
      expect(closed.status).toBe(1);
      expect(closed.stderr).toMatch(/方案编号「e2e-reused」已被使用\(该编号的方案已被终止,\d{4}-\d{2}-\d{2}结束\),请换一个编号/);
      expect(closed.stderr).not.toMatch(/\n\s+at /);

      const list = spawnSync(toolPaths(ROOT).temporalCli, ['workflow', 'list', '--address', '127.0.0.1:27273'], { encoding: 'utf8' });
      expect(list.stdout.match(/e2e-reused/g)).toHaveLength(1);
    } finally {
      expect(await product.stop()).toBe(0);
    }
  });
});
