import { toolPaths } from '@reform/config';
import { DefinitionStore, openDatabase } from '@reform/persistence';
import { DevServer, standardProceduresStatus, startDevServer } from '@reform/temporal';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { config, ROOT } from '../context';

function banner(lines: string[]) {
  console.log(['', ...lines, ''].join('\n'));
}

/**
 * Runs the product in the foreground: the Temporal dev server (unless TEMPORAL_ADDRESS points at
 * a cluster), migrations, the standard procedures, and a worker. Ctrl-C stops it all cleanly; the
 * next start finds the same data in .data/.
 */
export async function start(): Promise<number> {
  const cfg = config();
  // Filled in as each part starts; stop() takes down whatever is running.
  const running: { server?: DevServer; worker?: ChildProcess } = {};
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止……');
    const { worker, server } = running;
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGINT');
      await exited;
    }
    await server?.stop();
    console.log('已停止。数据保存在', cfg.dataDir);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  if (!cfg.temporal.external) {
    console.log('启动 Temporal 开发服务器……');
    running.server = await startDevServer({ cliPath: toolPaths(ROOT).temporalCli, dataDir: join(cfg.dataDir, 'temporal'), port: cfg.temporal.port, uiPort: cfg.temporal.uiPort });
  }

  const db = await openDatabase(cfg.database);
  const store = new DefinitionStore(db);
  const { unpublished, broken } = await standardProceduresStatus(store);
  const published = await store.list();
  await db.destroy();

  const worker = spawn(process.execPath, [join(ROOT, 'bin/worker.js')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TEMPORAL_ADDRESS: cfg.temporal.address },
  });
  running.worker = worker;
  worker.once('exit', (code) => {
    if (!stopping) {
      console.error(`工作进程意外退出(退出码 ${code})`);
      void stop(1);
    }
  });

  const { server } = running;
  const cli = server ? `${toolPaths(ROOT).temporalCli} workflow list --address ${cfg.temporal.address}` : 'temporal workflow list';
  banner([
    'Reform Loop 改革落实闭环 已启动',
    server ? `  Temporal Web UI:  ${server.uiUrl}` : `  外部 Temporal:    ${cfg.temporal.address}`,
    `  Temporal 地址:    ${cfg.temporal.address}(命名空间 ${cfg.temporal.namespace},任务队列 ${cfg.temporal.taskQueue})`,
    `  数据库:           ${cfg.database.url ? 'PostgreSQL(DATABASE_URL)' : cfg.database.sqlitePath}`,
    `  已发布流程:       ${[...new Map(published.map((d) => [d.procedureId, d])).values()].map((d) => `${d.procedureId} 第${d.version}版(${d.title})`).join('、')}`,
    ...(broken ? ['  注意:rules/standard 有错误,运行 npx reform rules check 查看'] : []),
    ...(unpublished.length
      ? [`  注意:rules/standard 中 ${unpublished.join('、')} 与已发布的最新版本不同;确认后运行 npx reform rules publish 发布`]
      : []),
    '',
    '在另一个终端登记第一个方案:',
    '  npx reform plan start --title "关于深化营商环境改革的实施方案" --lead-unit 省发展改革委 \\',
    '    --leader 王副省长 --person 李明 --group 经济体制改革专项小组',
    '  npx reform plan show <编号>',
    '  npx reform plan act <编号> submit_draft --as lead_unit',
    `  ${cli}`,
    '',
    '按 Ctrl-C 停止。',
  ]);
  await new Promise<never>(() => undefined);
  return 0;
}
