import { installedCliVersion, installedClusterVersions, loadClusterConfig, maskPassword, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION, toolPaths } from '@reform/config';
import { DEFAULT_FONT_DIR, PDF_FONTS } from '@reform/documents';
import { createDataSource, isPostgres, migrationStatus } from '@reform/persistence';
import { portOpen } from '@reform/temporal';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { config, ROOT } from '../context';

interface Check {
  name: string;
  ok: boolean;
  found: string;
  fix?: string;
  /** Informational: not fatal when absent. */
  optional?: boolean;
}

/** What a command prints (java prints its version on stderr); undefined when it cannot run. */
function run(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout}${r.stderr}`.trim();
}

/** What the product needs, what was found, and the line that fixes each gap. */
export async function doctor(): Promise<number> {
  const cfg = config();
  const tools = toolPaths(ROOT);
  const checks: Check[] = [];

  const major = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'Node.js', ok: major >= 20, found: `v${process.versions.node}`, fix: '安装 Node.js 20 或更高版本' });

  const cliVersion = installedCliVersion(ROOT);
  const cliOut = existsSync(tools.temporalCli) ? run(tools.temporalCli, ['--version']) : undefined;
  const server = cliOut?.match(/\(Server ([^,]+), UI ([^)]+)\)/);
  checks.push({
    name: 'Temporal CLI(开发服务器)',
    ok: !!cliOut,
    found: cliOut ? `${cliVersion ?? '未知版本'}${server ? `(Server ${server[1]},UI ${server[2]})` : ''},${tools.temporalCli}` : '未安装',
    fix: '运行 npm start 或 bash scripts/ensure.sh(需要 Go)',
  });

  // Go builds the Temporal CLI (needed unless it is built) and the cluster's Temporal server.
  const go = run('go', ['version']);
  checks.push({
    name: 'Go(构建 Temporal CLI 与本机集群的 Temporal 服务器)',
    ok: !!go,
    found: go ?? '未安装',
    fix: '安装 Go(apt-get install golang);Temporal CLI 已构建时只有本机集群需要它',
    optional: !!cliOut,
  });

  // The local cluster's own Temporal server (reform cluster, and the cluster test in npm test):
  // optional, only for growing beyond one machine.
  const cluster = installedClusterVersions(ROOT);
  checks.push({
    name: 'Temporal 服务器(本机集群 reform cluster)',
    ok: cluster.server === TEMPORAL_SERVER_VERSION,
    found: cluster.server ? `${cluster.server}${cluster.ui ? `,Web UI ${cluster.ui}` : ',未装 Web UI'},${tools.temporalServer}` : '未安装',
    fix: `运行 bash scripts/ensure.sh cluster(需要 Go 与 PostgreSQL;构建 Temporal 服务器 ${TEMPORAL_SERVER_VERSION}、其 SQL 工具与 Web UI ${TEMPORAL_UI_VERSION}:紧接 Temporal CLI 的构建约 1 分钟,全新机器先构建 CLI,共约 5–10 分钟;npm test 只构建服务器与 SQL 工具)`,
    optional: true,
  });
  // The cluster keeps Temporal's and the product's databases on PostgreSQL (REFORM_CLUSTER_POSTGRES).
  try {
    const pg = loadClusterConfig(process.env, ROOT).postgres;
    const answers = await portOpen(pg.port, pg.host);
    checks.push({
      name: '本机集群的 PostgreSQL(REFORM_CLUSTER_POSTGRES)',
      ok: answers,
      found: `${pg.host}:${pg.port}:${answers ? '可连接' : '未运行'}`,
      fix: '运行 bash scripts/ensure-postgres.sh,或以 REFORM_CLUSTER_POSTGRES 指向一个可建库的角色',
      optional: true,
    });
  } catch (e) {
    checks.push({ name: '本机集群的设置', ok: false, found: (e as Error).message, fix: '按提示修改环境变量', optional: true });
  }

  const jars = existsSync(tools.testServerLib) ? readdirSync(tools.testServerLib).filter((f) => f.startsWith('temporal-test-server-')) : [];
  checks.push({
    name: 'Temporal 时间跳跃测试服务器',
    ok: jars.length > 0 && existsSync(tools.testServer),
    found: jars[0]?.replace(/\.jar$/, '') ?? '未安装',
    fix: '运行 npm test 或 bash scripts/ensure.sh test(需要 Java 与 Maven)',
    optional: true,
  });
  const java = run('java', ['-version']);
  checks.push({ name: 'Java(测试服务器需要)', ok: !!java && /version/.test(java), found: java?.split('\n')[0] ?? '未安装', fix: 'apt-get install default-jdk-headless', optional: true });

  const dbLabel = isPostgres(cfg.database) ? `PostgreSQL ${maskPassword(cfg.database.url!)}` : `SQLite ${cfg.database.sqlitePath}`;
  try {
    const ds = createDataSource(cfg.database);
    await ds.initialize();
    const status = await migrationStatus(ds);
    await ds.destroy();
    checks.push({
      name: '数据库与迁移',
      ok: status.pending.length === 0,
      found: `${dbLabel};已执行 ${status.applied.length} 个迁移${status.pending.length ? `,待执行:${status.pending.join('、')}` : ''}`,
      fix: '运行 npx reform db migrate(npm start 会自动执行)',
    });
  } catch (e) {
    checks.push({ name: '数据库与迁移', ok: false, found: `${dbLabel};无法打开:${(e as Error).message}`, fix: '检查 DATABASE_URL 或数据目录的权限' });
  }

  const [host, port] = cfg.temporal.address.split(':');
  const reachable = await portOpen(Number(port), host);
  checks.push({
    name: cfg.temporal.external ? '外部 Temporal(TEMPORAL_ADDRESS)' : 'Temporal 服务',
    ok: reachable,
    found: `${cfg.temporal.address},命名空间 ${cfg.temporal.namespace}:${reachable ? '可连接' : '未运行'}`,
    fix: cfg.temporal.external ? '检查 TEMPORAL_ADDRESS 与网络' : 'npm start 会启动开发服务器',
    optional: !cfg.temporal.external,
  });

  // Letters as PDF documents embed the Fandol faces; a configured seal must be there.
  const fontDir = cfg.documents.fontDir ?? DEFAULT_FONT_DIR;
  const missingFonts = [...new Set(Object.values(PDF_FONTS))].filter((f) => !existsSync(`${fontDir}/${f}`));
  checks.push({
    name: '公文字体(Fandol,PDF 需要)',
    ok: missingFonts.length === 0,
    found: missingFonts.length ? `${fontDir} 中缺少 ${missingFonts.join('、')}` : fontDir,
    fix: 'apt-get install texlive-lang-chinese,或设置 REFORM_FONT_DIR',
    optional: true,
  });
  if (cfg.office.sealImage) {
    checks.push({ name: '印章图片(REFORM_SEAL_IMAGE)', ok: existsSync(cfg.office.sealImage), found: cfg.office.sealImage, fix: '检查 REFORM_SEAL_IMAGE 指向的 PNG 文件' });
  }

  let failed = 0;
  for (const c of checks) {
    const mark = c.ok ? '✓' : c.optional ? '·' : '✗';
    console.log(`${mark} ${c.name}:${c.found}`);
    if (!c.ok && c.fix) console.log(`    修复:${c.fix}`);
    if (!c.ok && !c.optional) failed++;
  }
  console.log(failed ? `\n有 ${failed} 项必需条件未满足。` : '\n一切就绪。');
  return failed ? 1 : 0;
}
