import { toolPaths } from '@reform/config';
import { clusterBackup, clusterRestore } from '../cluster/backup';
import { clusterDown, clusterRestart, clusterStatus, clusterUp, MemberStatus } from '../cluster/cluster';
import { ROOT } from '../context';

const ctx = () => ({ root: ROOT, env: process.env, log: (line: string) => console.log(line) });

const KIND = { temporal: 'Temporal', ui: 'Web UI', api: 'API', worker: '工作进程' } as const;

function table(members: MemberStatus[]): string[] {
  return members.map((m) => {
    const state = !m.pid ? '未启动' : m.running ? (m.answering ? '正常' : '无应答') : '已退出';
    const rss = m.rssBytes !== undefined ? `${Math.round(m.rssBytes / 1048576)} MiB` : '—';
    return `  ${m.name.padEnd(18)} ${KIND[m.kind].padEnd(8)} ${String(m.pid ?? '—').padEnd(8)} ${String(m.port ?? '—').padEnd(6)} ${state.padEnd(4)} ${rss.padStart(8)}  ${m.detail}`;
  });
}

/** `reform cluster up`: the local cluster and the product on it; answers once every process answers. */
export async function clusterUpCommand(): Promise<number> {
  const { cluster: c, product, started, running, ui } = await clusterUp(ctx());
  const apis = c.ports.apis.map((p) => `http://127.0.0.1:${p}`);
  console.log(
    [
      '',
      running.length ? `集群已就绪:本次启动 ${started.length} 个进程,${running.length} 个原已在运行` : '集群已启动:',
      `  Temporal:         127.0.0.1:${c.ports.temporal.frontend.grpc}(命名空间 ${product.temporal.namespace},${c.shards} 个历史分片,PostgreSQL 库 ${c.databases.temporal}、${c.databases.visibility})`,
      `  Temporal Web UI:  ${ui ? `http://127.0.0.1:${c.ports.ui}` : '未安装(bash scripts/ensure.sh cluster 会构建)'}`,
      `  数据库:           PostgreSQL 库 ${c.databases.product}(${c.postgres.host}:${c.postgres.port})`,
      `  API:              ${apis.map((a) => `${a}/api`).join('、')}(负载均衡检查 /api/ready)`,
      `  网页控制台:       ${apis[0]}/`,
      `  工作进程:         ${c.workers} 个,任务队列 ${product.temporal.taskQueue}`,
      `  演示账号:         ${c.dataDir}/demo-logins.txt`,
      `  日志与状态:       ${c.dir}`,
      `  查看任务:         ${toolPaths(ROOT).temporalCli} workflow list --address 127.0.0.1:${c.ports.temporal.frontend.grpc}`,
      '',
      '查看各进程:npx reform cluster status;全部停止:npx reform cluster down',
    ].join('\n'),
  );
  return 0;
}

export async function clusterDownCommand(): Promise<number> {
  const outcomes = await clusterDown(ctx());
  console.log(outcomes.length ? '集群已停止。数据保留在 PostgreSQL 中,reform cluster up 会接着运行。' : '集群没有在运行的进程。');
  return 0;
}

/** `reform cluster status`: exit 0 when every process runs and answers, 1 otherwise. */
export async function clusterStatusCommand(o: { json?: boolean }): Promise<number> {
  const { cluster: c, members } = await clusterStatus(ctx());
  const ok = members.every((m) => m.running && m.answering);
  if (o.json) {
    console.log(JSON.stringify({ ok, dir: c.dir, members }, null, 2));
  } else {
    console.log(`集群 ${c.dir}:${ok ? '全部正常' : members.some((m) => m.running) ? '有进程未运行或无应答' : '未运行'}`);
    console.log(`  ${'名称'.padEnd(16)} ${'类别'.padEnd(6)} ${'pid'.padEnd(8)} ${'端口'.padEnd(4)} ${'状态'.padEnd(2)} ${'内存'.padStart(6)}  说明`);
    console.log(table(members).join('\n'));
  }
  return ok ? 0 : 1;
}

/** `reform cluster restart`: the workers, then the APIs, one at a time, each ready before the next. */
export async function clusterRestartCommand(o: { only?: string }): Promise<number> {
  const kinds = o.only === undefined ? undefined : o.only === 'worker' ? (['worker'] as const) : o.only === 'api' ? (['api'] as const) : undefined;
  if (o.only !== undefined && !kinds) {
    console.error(`错误:--only 应为 worker 或 api,收到「${o.only.slice(0, 40)}」`);
    return 2;
  }
  const done = await clusterRestart(ctx(), { kinds: kinds ? [...kinds] : undefined });
  console.log(`已逐个重启 ${done.length} 个进程:${done.map((d) => `${d.name}(pid ${d.oldPid ?? '—'} → ${d.pid})`).join('、')}`);
  return 0;
}

/** `reform cluster backup <dir>`: the three databases and the data folder. */
export async function clusterBackupCommand(dir: string): Promise<number> {
  const { dir: out, stopped } = await clusterBackup(ctx(), dir);
  console.log(`备份完成:${out}(${stopped.length ? `备份期间停止并已重新启动 ${stopped.join('、')}` : '没有在运行的 API 和工作进程'})。恢复:npx reform cluster restore ${out}`);
  return 0;
}

/** `reform cluster restore <dir>`: this cluster becomes the backup, then comes up. */
export async function clusterRestoreCommand(dir: string): Promise<number> {
  const { restoredFrom, cluster: c } = await clusterRestore(ctx(), dir);
  console.log(`已从 ${restoredFrom} 恢复集群并启动:API ${c.ports.apis.map((p) => `http://127.0.0.1:${p}/api`).join('、')}`);
  return 0;
}
