import { ConfigError, UserError } from '@reform/config';
import { Command, CommanderError } from 'commander';
import { writeSync } from 'node:fs';

type Action = (...args: never[]) => Promise<number>;

/** Runs a command; users see a sentence, never a stack trace (REFORM_DEBUG=1 shows it). */
function handled(action: Action) {
  return async (...args: unknown[]) => {
    try {
      process.exitCode = await (action as (...a: unknown[]) => Promise<number>)(...args);
    } catch (err) {
      const e = err as Error;
      const known = e instanceof UserError || e instanceof ConfigError;
      console.error(`错误:${e.message}`);
      if (process.env.REFORM_DEBUG === '1' && !known) console.error(e.stack);
      process.exitCode = known ? 1 : 2;
    }
  };
}

/**
 * Commands are loaded when run: the Temporal client and TypeORM take about a second to load,
 * and `reform rules check` or `--help` need neither.
 */
// A synchronous require: tsx runs the CLI as CommonJS, where import() would go to Node's ESM
// loader, which does not resolve our extensionless TypeScript paths.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  assess: () => require('./commands/assess') as typeof import('./commands/assess'),
  audit: () => require('./commands/audit') as typeof import('./commands/audit'),
  calendar: () => require('./commands/calendar') as typeof import('./commands/calendar'),
  cluster: () => require('./commands/cluster') as typeof import('./commands/cluster'),
  dashboard: () => require('./commands/dashboard') as typeof import('./commands/dashboard'),
  db: () => require('./commands/db') as typeof import('./commands/db'),
  deliberation: () => require('./commands/deliberation') as typeof import('./commands/deliberation'),
  doctor: () => require('./commands/doctor') as typeof import('./commands/doctor'),
  import: () => require('./commands/import') as typeof import('./commands/import'),
  ledger: () => require('./commands/ledger') as typeof import('./commands/ledger'),
  letters: () => require('./commands/letters') as typeof import('./commands/letters'),
  plan: () => require('./commands/plan') as typeof import('./commands/plan'),
  problem: () => require('./commands/problem') as typeof import('./commands/problem'),
  procedures: () => require('./commands/procedures') as typeof import('./commands/procedures'),
  round: () => require('./commands/round') as typeof import('./commands/round'),
  rules: () => require('./commands/rules') as typeof import('./commands/rules'),
  rulesLive: () => require('./commands/rules-live') as typeof import('./commands/rules-live'),
  start: () => require('./commands/start') as typeof import('./commands/start'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function lazy<M>(load: () => M, pick: (m: M) => Action) {
  return handled((async (...args: never[]) => pick(load())(...args)) as Action);
}

const USAGE_ERRORS: Array<[RegExp, string]> = [
  [/^error: required option '(.+)' not specified/, '错误:缺少必填选项 $1'],
  [/^error: missing required argument '(.+)'/, '错误:缺少参数 $1'],
  [/^error: unknown option '(.+)'/, '错误:未知选项 $1'],
  [/^error: unknown command '(.+)'/, '错误:未知命令 $1'],
  [/^error: too many arguments.*/, '错误:参数过多'],
  [/^error: option '(.+)' argument missing/, '错误:选项 $1 缺少取值'],
];

/** Commander speaks English; users read Chinese. */
function translateUsageError(text: string): string {
  for (const [pattern, zh] of USAGE_ERRORS) if (pattern.test(text)) return text.replace(pattern, zh);
  return text;
}

export function program(): Command {
  const p = new Command('reform')
    .description('Reform Loop 改革落实闭环:改革方案、试点与中央方案对接的流程引擎')
    .showHelpAfterError('(运行 reform --help 查看用法)')
    .configureOutput({ outputError: (text, write) => write(translateUsageError(text)) })
    .exitOverride();

  p.command('doctor').description('检查运行所需的一切,缺什么就告诉你怎么补').action(lazy(commands.doctor, (m) => m.doctor));
  p.command('start').description('前台运行:Temporal 开发服务器、数据库迁移和工作进程(npm start 调用它)').action(lazy(commands.start, (m) => m.start));
  const cluster = p
    .command('cluster')
    .description('本机集群:PostgreSQL 上的 Temporal 集群(frontend、history、matching、worker 各一个进程)和其上的产品(两个 API、三个工作进程);设置见 README「Growing beyond one machine」');
  cluster.command('up').description('建库、建表,启动尚未运行的进程(迁移只在这里执行一次),等到全部就绪').action(lazy(commands.cluster, (m) => m.clusterUpCommand));
  cluster.command('down').description('停止集群的全部进程(先 API 和工作进程,后 Temporal);数据保留').action(lazy(commands.cluster, (m) => m.clusterDownCommand));
  cluster
    .command('restart')
    .description('滚动重启:先逐个重启工作进程,再逐个重启 API,每个就绪后才动下一个(Temporal 不重启)')
    .option('--rolling', '逐个重启(默认,也是唯一的方式)')
    .option('--only <kind>', '只重启 worker 或 api')
    .action(lazy(commands.cluster, (m) => m.clusterRestartCommand));
  cluster
    .command('backup <dir>')
    .description('备份 Temporal、其可见性库和产品的数据库(pg_dump)及数据目录;备份期间 API 和工作进程暂停')
    .action(lazy(commands.cluster, (m) => m.clusterBackupCommand));
  cluster
    .command('restore <dir>')
    .description('把本集群恢复为备份:停止全部进程,重建三个数据库并 pg_restore,放回数据目录,再 up')
    .action(lazy(commands.cluster, (m) => m.clusterRestoreCommand));
  cluster.command('status').description('各进程是否在运行、是否应答、占用内存;全部正常时退出码为 0').option('--json', '以 JSON 输出').action(lazy(commands.cluster, (m) => m.clusterStatusCommand));
  p.command('procedures').description('列出已发布的流程及其属性和角色').action(lazy(commands.procedures, (m) => m.proceduresList));

  const plan = p
    .command('plan')
    .description('登记方案、办理操作、查看进度:以本人账号办理(--user 或 REFORM_USER;密码取自 REFORM_PASSWORD,或在终端中输入),角色由本单位与方案的关系决定');
  const userOption = ['--user <username>', '以哪个账号办理(默认 REFORM_USER)'] as const;
  const requestIdOption = ['--request-id <id>', '请求编号(同 API 的 X-Request-Id):以同一编号再次运行,只办理一次,中途中断的接着办完;默认每次新编号'] as const;
  plan
    .command('register')
    .alias('start')
    .description('以本单位为牵头单位登记一个方案并开始流程')
    .option(...userOption)
    .option('--procedure <id>', '流程:reform_plan、pilot 或 central_integration', 'reform_plan')
    .requiredOption('--title <text>', '方案名称')
    .requiredOption('--leader <name>', '责任领导')
    .requiredOption('--person <name>', '责任人')
    .requiredOption('--group <unit>', '所属专项小组的单位编号,如 demo-econ')
    .option('--units <ids>', '参与单位的单位编号,以逗号分隔')
    .option('--attr <ids>', '方案属性,以逗号分隔,如 major,party_document(见 reform procedures)')
    .option('--registered-on <date>', '登记日期 YYYY-MM-DD,默认今天')
    .option('--event <name=date...>', '登记时已发生的事件,如 central_plan_issued=2026-05-01')
    .option('--id <id>', '自定编号(默认自动生成;用过的编号不能再用)')
    .action(lazy(commands.plan, (m) => m.planRegister));
  plan
    .command('act <id> <action>')
    .description('办理一个操作:以本单位在该方案中的角色')
    .option(...userOption)
    .option('--date <date>', '业务发生日期 YYYY-MM-DD,默认今天')
    .option('--reason <text>', '理由(退回、要求修改时必填)')
    .option('--item <id>', '具体改革事项编号')
    .option('--item-title <text>', '具体改革事项名称(新登记时必填)')
    .option('--item-status <status>', 'not_started、started 或 completed')
    .option('--json', '输出 JSON')
    .action(lazy(commands.plan, (m) => m.planAct));
  plan
    .command('show <id>')
    .description('查看阶段、本单位可办的操作、时限和函件')
    .option(...userOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.plan, (m) => m.planShow));
  plan
    .command('list')
    .description('本单位可见的方案台账')
    .option(...userOption)
    .option('--text <words>', '按名称或编号检索')
    .option('--stage <id>', '只看某个阶段')
    .option('--status <status>', 'open(办理中)或 closed(已办结)')
    .option('--overdue', '只看有逾期时限的')
    .option('--actionable', '只看本单位现在可办理的(我的待办)')
    .option('--limit <n>', '每页条数(默认 20)')
    .option('--cursor <cursor>', '翻页游标')
    .option('--json', '输出 JSON')
    .action(lazy(commands.plan, (m) => m.planList));

  p.command('import')
    .description('导入 Excel 表格')
    .command('task-list <file>')
    .description('导入年度改革任务清单(.xlsx,按 GET /api/imports/task-list/template 的模板填写):逐行检查,全部无误才登记;以改革办账号办理')
    .option(...userOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.import, (m) => m.importTaskList));

  const deliberation = p.command('deliberation').description('年度上会审议计划(W5):改革领导小组会议及列入的方案;以改革办账号办理');
  deliberation.command('show <year>').description('显示某年度的上会审议计划、各方案是否具备上会条件及进度').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.deliberation, (m) => m.deliberationShow));
  deliberation.command('meeting <year> <date> <title>').description('安排一次改革领导小组会议(日期 YYYY-MM-DD)').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.deliberation, (m) => m.deliberationMeeting));
  deliberation.command('list <meetingId> <planId>').description('把方案列入会议(同一方案一年一次)').option(...userOption).option('--note <text>', '说明').option('--json', '输出 JSON').action(lazy(commands.deliberation, (m) => m.deliberationList));
  deliberation.command('remove <meetingId> <planId>').description('把方案移出会议').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.deliberation, (m) => m.deliberationRemove));
  const assess = p.command('assess').description('年度考核:按考核细则从台账计算各单位、各地区得分,每一分附计分明细');
  assess
    .command('compute')
    .description('计算本级的年度考核(改革办账号);不写 --scheme 时用标准细则 rules/standard/assessment.rules')
    .requiredOption('--year <year>', '考核年度')
    .option('--scheme <file>', '考核细则文件(规则语言)')
    .option(...userOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.assess, (m) => m.assessCompute));
  assess.command('show <id>').description('显示考核结果和计分明细(范围同 API)').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.assess, (m) => m.assessShow));
  assess.command('export <id>').description('导出考核结果(.xlsx)').option('-o, --output <file>', '写入的文件(默认为考核结果的文件名)').option(...userOption).action(lazy(commands.assess, (m) => m.assessExport));
  const problem = p.command('problem').description('问题库(Y9、Y11、A13):改革办挂号、移交整改、验收销号;整改单位报送整改情况');
  problem
    .command('register')
    .description('改革办把督察发现的问题挂号到本级问题库:对象为单位(--unit),或方案(--plan,事项再加 --item)')
    .option(...userOption)
    .requiredOption('--description <text>', '问题的表述(写进整改意见书)')
    .option('--unit <id>', '问题所涉单位的编号(由它整改)')
    .option('--plan <id>', '问题所涉方案的编号(由其牵头单位整改)')
    .option('--item <id>', '问题所涉具体改革事项的编号(与 --plan 一起写)')
    .option('--found-on <date>', '发现问题的日期 YYYY-MM-DD,默认今天')
    .option('--person <name>', '责任人')
    .option(...requestIdOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.problem, (m) => m.problemRegister));
  problem
    .command('list')
    .description('改革办:本级问题库;其他单位:本单位负责整改的问题')
    .option(...userOption)
    .option('--status <status>', 'registered、rectifying、verifying、kept、cancelled 或 escalated')
    .option('--limit <n>', '每页条数(默认 50)')
    .option('--offset <n>', '从第几条起')
    .option('--json', '输出 JSON')
    .action(lazy(commands.problem, (m) => m.problemList));
  problem.command('show <id>').description('问题详情:所处环节、整改期限、可办理的操作和函件').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.problem, (m) => m.problemShow));
  problem.command('history <id>').description('问题的办理历程:谁、何时、做了什么(含函件的发出和签收)').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.problem, (m) => m.problemHistory));
  problem
    .command('act <id> <action>')
    .description('办理:hand_over 移交整改 / escalate 提交上一级问题库 / report_rectification 报送整改情况 / verify 验收销号 / send_back 退回整改 / keep 留号 / report_kept_progress / verify_kept')
    .option(...userOption)
    .option('--date <date>', '业务发生日期 YYYY-MM-DD,默认今天')
    .option('--reason <text>', '理由(提交上一级、退回整改时必填)')
    .option('--note <text>', '情况说明(留号时必填)')
    .option('--evidence <ids>', '佐证材料编号,以逗号分隔(验收销号时必填;先用 reform problem evidence 上传)')
    .option(...requestIdOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.problem, (m) => m.problemAct));
  problem
    .command('hand-over <ids...>')
    .description('把同一整改单位的几个已挂号问题一并移交整改:只发一份整改意见书,列出全部问题和整改期限(A13)')
    .option(...userOption)
    .option('--date <date>', '移交日期 YYYY-MM-DD,默认今天')
    .option(...requestIdOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.problem, (m) => m.problemHandOver));
  problem
    .command('evidence <id> <file>')
    .description('上传问题的整改佐证材料(pdf、docx、xlsx、ofd、jpg、png 等),得到的编号随验收销号提交')
    .option(...userOption)
    .option(...requestIdOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.problem, (m) => m.problemEvidence));
  const round = p.command('round').description('督察轮次(年中集中督察,S3):以改革办账号开启、查看,导出督察评估事项表');
  round
    .command('open')
    .description('开启一轮督察:本级印发满半年且仍在实施的每个方案生成牵头单位的自查任务;上次中途中断、仍在开启中的同名轮次,再次运行即接着开完')
    .option(...userOption)
    .requiredOption('--name <text>', '轮次名称,如「2026年年中集中督察」')
    .option('--year <year>', '督察年度,默认今年')
    .option(...requestIdOption)
    .option('--json', '输出 JSON')
    .action(lazy(commands.round, (m) => m.roundOpen));
  round.command('list').description('本单位可见的督察轮次').option(...userOption).option('--json', '输出 JSON').action(lazy(commands.round, (m) => m.roundList));
  round
    .command('export <id>')
    .description('导出督察评估事项表:Excel(.xlsx)或 Word(.docx)')
    .option(...userOption)
    .option('--format <format>', 'xlsx 或 docx(默认按 --out 的扩展名,否则 xlsx)')
    .option('--out <file>', '写入的文件(默认「轮次名称-督察评估事项表.扩展名」)')
    .action(lazy(commands.round, (m) => m.roundExport));

  const ledger = p.command('ledger').description('方案台账(由各方案的流程写入的读模型)');
  ledger
    .command('rebuild')
    .description('从 Temporal 中的全部方案重建台账(运维命令:直接读写数据库,不经账号)')
    .option('--fresh', '先清空台账再重建')
    .action(lazy(commands.ledger, (m) => m.ledgerRebuild));
  p.command('letters').description('列出已发出的函件').option('--plan <id>', '只看某个方案').action(lazy(commands.letters, (m) => m.lettersList));
  p.command('letter <number>').description('显示一封函件的全文').action(lazy(commands.letters, (m) => m.letterShow));
  p.command('letter-export <number>')
    .description('把一封函件导出为公文(GB/T 9704 信函格式):Word(.docx)或 PDF;<number> 为文号或函件编号')
    .option(...userOption)
    .option('--format <format>', 'docx 或 pdf(默认按 --out 的扩展名)')
    .option('--out <file>', '写入的文件(默认「文号 标题.扩展名」)')
    .action(lazy(commands.letters, (m) => m.letterExport));

  p.command('dashboard')
    .description('看板数字:亮灯、落实进度、量化指标(S4)、问题、函件、按月趋势(本账号可见的范围)')
    .option(...userOption)
    .option('--by <by>', '进度分组:unit(牵头单位,默认)、area(专项小组)或 level(层级)')
    .option('--year <year>', '量化指标与函件统计的年份(默认今年)')
    .option('--months <n>', '趋势的月数(默认 12)')
    .action(lazy(commands.dashboard, (m) => m.dashboard));
  const calendar = p.command('calendar').description('节假日安排(每年公布的放假与调休,按年载入)');
  calendar.command('check <file>').description('检查一个年度节假日安排文件').action(lazy(commands.calendar, (m) => m.calendarCheck));
  calendar
    .command('load <file>')
    .description('检查并载入一个年度节假日安排(省级改革办,记入审计),并通知运行中的方案')
    .option(...userOption)
    .option(...requestIdOption)
    .action(lazy(commands.calendar, (m) => m.calendarLoad));
  calendar.command('list').description('列出已载入的节假日安排').action(lazy(commands.calendar, (m) => m.calendarList));

  const rules = p.command('rules').description('规则文件:检查、排版、编译、说明(不写路径时为 REFORM_RULES_DIR,默认 rules/standard)');
  rules
    .command('check [paths...]')
    .description('检查规则文件,列出全部错误和警告;有错误时退出码为 1')
    .option('--json', '以 JSON 输出,供程序读取')
    .action(lazy(commands.rules, (m) => m.rulesCheck));
  rules.command('fmt [paths...]').description('按统一格式排版规则文件').option('--check', '只检查,不改写;需要排版时退出码为 1').action(lazy(commands.rules, (m) => m.rulesFmt));
  rules.command('compile [paths...]').description('编译为流程定义(JSON)').option('-o, --output <file>', '写入文件而不是标准输出').action(lazy(commands.rules, (m) => m.rulesCompile));
  rules.command('explain [paths...]').description('用中文说明规则会让系统做什么').option('--procedure <id>', '只说明一个程序').action(lazy(commands.rules, (m) => m.rulesExplain));
  rules.command('publish [paths...]').description('发布为新版本:新登记的方案按新版本办理,运行中的方案不变;有错误时不发布').action(lazy(commands.rulesLive, (m) => m.rulesPublish));
  rules
    .command('diff <a> <b>')
    .description('比较两套规则在含义上的不同;a、b 为规则文件或目录,或已发布版本如 reform_plan@1、reform_plan@latest')
    .option('--json', '以 JSON 输出')
    .action(lazy(commands.rulesLive, (m) => m.rulesDiff));
  rules
    .command('migrate <version>')
    .description('把运行中的方案迁移到已发布的版本(如 reform_plan@2);默认只预演,加 --apply 才执行')
    .option('--policy <policy>', '截止日期:keep 保留原截止日期,recompute 按新规则从业务日期重算(必填)')
    .option('--plan <id>', '只迁移一个方案')
    .option('--apply', '执行迁移(不加则只预演)')
    .option('--actor <name>', '经办人,记入方案日志')
    .action(lazy(commands.rulesLive, (m) => m.rulesMigrate));
  rules.command('why <plan> [deadline]').description('说明方案的某个时限为什么在那天到期').action(lazy(commands.rulesLive, (m) => m.rulesWhy));
  rules
    .command('simulate [paths...]')
    .description('假如按这些规则:每个运行中的方案会收到哪些函件、何时收到(只模拟,不改动任何东西)')
    .option('--until <date>', '模拟到哪天,默认一年后')
    .option('--plan <id>', '只模拟一个方案')
    .option('--json', '以 JSON 输出')
    .action(lazy(commands.rulesLive, (m) => m.rulesSimulate));

  const audit = p.command('audit').description('审计记录(全程留痕):只能追加,逐条以哈希相连');
  audit
    .command('verify')
    .description('核验审计链:报告已核验条数、链头哈希和第一处断裂(改动、缺失、顺序调换);断裂时退出码为 1')
    .option('--json', '以 JSON 输出')
    .action(lazy(commands.audit, (m) => m.auditVerify));

  const db = p.command('db').description('数据库');
  db.command('migrate').description('执行待执行的迁移').action(lazy(commands.db, (m) => m.dbMigrate));
  db.command('status').description('查看迁移状态').action(lazy(commands.db, (m) => m.dbStatus));
  return p;
}

/**
 * Output that cannot be written. Piped into `head` and the like (EPIPE): the reader has gone, stop
 * quietly. Anything else (a full disk, a closed terminal): say so in a sentence on stderr, if it
 * still takes writes, and stop with 1; never an uncaught exception with its stack.
 */
function onOutputError(e: NodeJS.ErrnoException, name: string): never {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  try {
    writeSync(2, `错误:无法写入${name}(${e.code ?? e.message})\n`);
  } catch {
    // stderr is what failed: nowhere left to say it.
  }
  if (process.env.REFORM_DEBUG === '1') console.error(e.stack);
  process.exit(1);
}

async function main() {
  for (const [stream, name] of [
    [process.stdout, '标准输出'],
    [process.stderr, '标准错误'],
  ] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => onOutputError(e, name));
  }
  try {
    await program().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors have already printed their line and the usage hint.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

void main();
