import { AppConfig, toolPaths } from '@reform/config';
import { DefinitionStore, openDatabase } from '@reform/persistence';
import { DevServer, startDevServer } from '@reform/temporal';
import { standardProceduresStatus } from '@reform/plans';
import { formatDemoLogins, seedDemo } from '@reform/identity';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { config, ROOT } from '../context';
import { Supervisor } from '../supervisor';
import { ensureWebConsole } from '../web-console';

function banner(lines: string[]) {
  console.log(['', ...lines, ''].join('\n'));
}

/**
 * Runs the product in the foreground: the Temporal dev server (unless TEMPORAL_ADDRESS points at
 * a cluster), migrations, the standard procedures, a worker and the HTTP API (bin/api.js), each
 * restarted (with back-off) whenever it dies. Ctrl-C stops it all within seconds, whatever state
 * it is in; the next start finds the same data in .data/.
 */
export async function start(): Promise<number> {
  const cfg = config();
  // Filled in as each part starts; stop() takes down whatever is running.
  const running: { server?: DevServer; workers?: Supervisor; api?: Supervisor } = {};
  const abort = new AbortController();
  let startup: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;

  const stop = (code: number) =>
    (stopping ??= (async () => {
      console.log('\n正在停止……');
      abort.abort();
      // Start-up sees the abort at its next step and starts nothing more.
      await startup.catch(() => undefined);
      await running.api?.stop();
      await running.workers?.stop();
      await running.server?.stop();
      console.log('已停止。数据保存在', cfg.dataDir);
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  startup = (async () => {
    // The web console builds while Temporal starts; the API serves it (a failed build leaves the API as it is).
    const web = ensureWebConsole(ROOT, (line) => console.log(line), abort.signal).then(
      () => true,
      (e: unknown) => {
        if (abort.signal.aborted) return false;
        console.error(`注意:${(e as Error).message}\n网页控制台暂不可用,接口照常可用;改正后重新运行 npm start。`);
        return false;
      },
    );
    if (!cfg.temporal.external) {
      console.log('启动 Temporal 开发服务器……');
      running.server = await startDevServer({
        cliPath: toolPaths(ROOT).temporalCli,
        dataDir: join(cfg.dataDir, 'temporal'),
        port: cfg.temporal.port,
        uiPort: cfg.temporal.uiPort,
        signal: abort.signal,
      });
    }
    if (abort.signal.aborted) return;

    const procedures = await proceduresAtStart(cfg);
    const webBuilt = await web;
    if (abort.signal.aborted) return;

    running.workers = new Supervisor({
      name: '工作进程',
      // Its own process group: Ctrl-C reaches only this process, which stops the worker itself
      // (a worker that saw Ctrl-C first would look like one that died and be restarted).
      spawn: () =>
        spawn(process.execPath, [join(ROOT, 'bin/worker.js')], {
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, TEMPORAL_ADDRESS: cfg.temporal.address },
          detached: true,
        }),
      log: (line) => console.log(line),
    });
    // The HTTP API (apps/api), its own process, restarted the same way.
    running.api = new Supervisor({
      name: 'API',
      spawn: () =>
        spawn(process.execPath, [join(ROOT, 'bin/api.js')], {
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, TEMPORAL_ADDRESS: cfg.temporal.address },
          detached: true,
        }),
      log: (line) => console.log(line),
    });
    // Should this process end some other way (an uncaught error), the worker and the API go with it.
    process.once('exit', () => {
      running.workers?.kill();
      running.api?.kill();
    });
    running.workers.start();
    running.api.start();
    printBanner(cfg, running.server, procedures, webBuilt);
  })();

  try {
    await startup;
  } catch (e) {
    // Stopped while starting: stop() ends the process.
    if (abort.signal.aborted) return new Promise<never>(() => undefined);
    await running.server?.stop();
    throw e;
  }
  await new Promise<never>(() => undefined);
  return 0;
}

/** Seeds the standard procedures a new database lacks; what the rules folder and the database then hold. `reform cluster up` calls it too. */
export async function proceduresAtStart(cfg: AppConfig) {
  const db = await openDatabase(cfg.database);
  try {
    const store = new DefinitionStore(db);
    const status = await standardProceduresStatus(store, cfg.rulesDir);
    // An empty database gets the demo province and one login per unit, printed once (and kept in a 0600 file).
    const demo = await seedDemo(db, { loginsFile: join(cfg.dataDir, 'demo-logins.txt') });
    return { status, published: await store.list(), demo };
  } finally {
    await db.destroy();
  }
}

function printBanner(cfg: AppConfig, server: DevServer | undefined, { status, published, demo }: Awaited<ReturnType<typeof proceduresAtStart>>, webBuilt: boolean) {
  const { unpublished, broken } = status;
  const rulesDir = relative(ROOT, cfg.rulesDir).startsWith('..') ? cfg.rulesDir : relative(ROOT, cfg.rulesDir);
  const cli = server ? `${toolPaths(ROOT).temporalCli} workflow list --address ${cfg.temporal.address}` : 'temporal workflow list';
  banner([
    'Reform Loop 改革落实闭环 已启动',
    `  网页控制台:       http://${cfg.api.host}:${cfg.api.port}/${webBuilt ? '(在浏览器中打开,用下面的演示账号登录)' : '(构建失败,见上)'}`,
    `  API:              http://${cfg.api.host}:${cfg.api.port}/api(文档 http://${cfg.api.host}:${cfg.api.port}/api/docs)`,
    server ? `  Temporal Web UI:  ${server.uiUrl}` : `  外部 Temporal:    ${cfg.temporal.address}`,
    `  Temporal 地址:    ${cfg.temporal.address}(命名空间 ${cfg.temporal.namespace},任务队列 ${cfg.temporal.taskQueue})`,
    `  数据库:           ${cfg.database.url ? 'PostgreSQL(DATABASE_URL)' : cfg.database.sqlitePath}`,
    `  已发布流程:       ${[...new Map(published.map((d) => [d.procedureId, d])).values()].map((d) => `${d.procedureId} 第${d.version}版(${d.title})`).join('、') || '无'}`,
    ...(broken ? [`  注意:${rulesDir} 有错误(见下),按已发布的流程运行;改正后运行 npx reform rules check 复查`] : []),
    ...(unpublished.length
      ? [`  注意:${rulesDir} 中 ${unpublished.join('、')} 与已发布的最新版本不同;确认后运行 npx reform rules publish 发布`]
      : []),
    '',
    ...(demo.created
      ? [...formatDemoLogins(demo.logins).trimEnd().split('\n'), `  (已存入 ${demo.loginsFile})`]
      : existsSync(join(cfg.dataDir, 'demo-logins.txt'))
        ? [`演示账号见 ${join(cfg.dataDir, 'demo-logins.txt')}`]
        : []),
    '登录(得到访问令牌),例如:',
    `  curl -s -X POST http://${cfg.api.host}:${cfg.api.port}/api/auth/login -H 'Content-Type: application/json' -d '{"username":"<用户名>","password":"<密码>"}'`,
    '',
    '在另一个终端以牵头部门的账号登记第一个方案(不设 REFORM_PASSWORD 时会提示输入密码,输入不回显):',
    '  export REFORM_USER=demo-ndrc',
    '  npx reform plan register --title "关于深化营商环境改革的实施方案" --leader 王副省长 --person 李明 --group demo-econ',
    '  npx reform plan show <编号>',
    '  npx reform plan act <编号> submit_draft',
    `  ${cli}`,
    '',
    '按 Ctrl-C 停止。',
  ]);
  if (broken) console.error(broken);
}
