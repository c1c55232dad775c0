import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LocalDateSchema, PlanIdSchema, ProcessDefinitionSchema } from '@reform/definitions';
import { Caller, MigrationRequest, RulesDesk } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { RulesFilesSchema } from './rules.controller';

const ProcedureIdSchema = ProcessDefinitionSchema.shape.id;
/** A version in a path: a positive whole number. */
const VersionParamSchema = z.string().regex(/^[1-9][0-9]{0,8}$/, '版本应为正整数,如 2');
const VersionOrLatestSchema = z.string().regex(/^([1-9][0-9]{0,8}|latest)$/, '版本应为正整数或 latest');
const version = (v: string): number | 'latest' => (v === 'latest' ? 'latest' : Number(v));

const RulesFilesRequestSchema = z
  .strictObject({ files: RulesFilesSchema })
  .meta({ id: 'RulesFilesRequest', description: '规则文件;未提交共用声明(如 common.rules)时,使用标准规则中的共用声明' });

const SimulateRequestSchema = z
  .strictObject({
    files: RulesFilesSchema,
    until: LocalDateSchema.optional().meta({ description: '模拟到哪一天(含),默认一年后' }),
  })
  .meta({ id: 'RulesSimulateRequest' });

const MigrateRequestSchema = z
  .strictObject({
    procedure: ProcedureIdSchema,
    version: z.union([z.number().int().min(1, '版本应为正整数').max(999_999_999), z.literal('latest')]).meta({ description: '已发布的版本,或 latest' }),
    policy: z.enum(['keep', 'recompute'], '截止日期处理方式应为 keep(保留原截止日期)或 recompute(按新规则重算)'),
    apply: z.boolean().default(false).meta({ description: 'false(默认)为预演,不改动任何方案;true 为执行迁移' }),
    planId: PlanIdSchema.optional().meta({ description: '只迁移这一个方案' }),
  })
  .meta({ id: 'RulesMigrateRequest' });

const PublishedSchema = z
  .object({
    procedures: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        version: z.number().int(),
        status: z.enum(['published', 'unchanged']).meta({ description: 'unchanged:与已发布的版本含义相同,未发布新版本' }),
        explicit: z.boolean().meta({ description: '版本号由规则文件的「版本」写明' }),
      }),
    ),
  })
  .meta({ id: 'RulesPublished' });

const VersionTextSchema = z
  .object({ id: z.string(), version: z.number().int(), files: z.array(z.object({ name: z.string(), text: z.string() })) })
  .meta({ id: 'ProcedureVersionText' });

const ProcedureDiffSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    from: z.number().int().optional().meta({ description: '比较的左侧已发布版本' }),
    to: z.number().int().optional().meta({ description: '比较的右侧已发布版本' }),
    changes: z.array(z.record(z.string(), z.unknown())).meta({ description: '每处变化(结构化)' }),
    only: z.enum(['added', 'removed']).optional(),
    lines: z.array(z.string()).meta({ description: '变化的说明,与 reform rules diff 的输出相同' }),
  })
  .meta({ id: 'ProcedureDiff' });

const DiffListSchema = z.object({ procedures: z.array(ProcedureDiffSchema) }).meta({ id: 'ProcedureDiffs' });

const LetterSchema = z
  .object({
    deadlineKey: z.string(),
    deadlineId: z.string(),
    deadlineLabel: z.string(),
    due: z.string(),
    level: z.number().int(),
    kind: z.string(),
    source: z.string(),
    issuedOn: z.string(),
    limitUntil: z.string().optional(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
  })
  .meta({ id: 'SimulatedLetter' });

const LetterChangeSchema = z
  .object({
    change: z.enum(['moved', 'dropped', 'added']).meta({ description: 'moved:改期(before 为原日期,after 为新日期);dropped:不再发;added:新增' }),
    before: LetterSchema.optional(),
    after: LetterSchema.optional(),
    to: z.array(z.string()).meta({ description: '收函单位' }),
  })
  .meta({ id: 'LetterChange' });

const SimulationSchema = z
  .object({
    today: z.string(),
    until: z.string(),
    plans: z.array(
      z.object({
        workflowId: z.string(),
        title: z.string(),
        procedure: z.string(),
        affected: z.boolean(),
        current: z.array(LetterSchema),
        proposed: z.array(LetterSchema),
        onlyCurrent: z.array(LetterSchema),
        onlyProposed: z.array(LetterSchema),
        changes: z.array(LetterChangeSchema),
      }),
    ),
  })
  .meta({ id: 'RulesSimulation' });

const MigrationSchema = z
  .object({
    procedure: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
    policy: z.enum(['keep', 'recompute']),
    applied: z.boolean(),
    plans: z.array(
      z.object({
        workflowId: z.string(),
        title: z.string(),
        fromVersion: z.number().int(),
        toVersion: z.number().int(),
        problems: z.array(z.string()),
        deadlines: z.array(
          z.object({
            key: z.string(),
            deadlineId: z.string(),
            label: z.string(),
            change: z.enum(['kept', 'moved', 'added', 'withdrawn', 'unchanged']),
            before: z.string().optional(),
            after: z.string().optional(),
          }),
        ),
        letters: z.array(LetterChangeSchema),
        migrated: z.boolean(),
      }),
    ),
    migrated: z.number().int(),
    refused: z.number().int(),
  })
  .meta({ id: 'RulesMigration' });

const WhySchema = z
  .object({
    planId: z.string(),
    deadlines: z.array(
      z.object({
        key: z.string(),
        id: z.string(),
        label: z.string(),
        due: z.string(),
        status: z.enum(['open', 'met', 'cancelled']),
        statusLabel: z.string(),
        metOn: z.string().optional(),
        late: z.boolean(),
        procedure: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
        rule: z.object({ id: z.string(), citation: z.string() }),
        from: z.object({ event: z.string(), label: z.string(), date: z.string() }),
        explanation: z.array(z.string()).meta({ description: '截止日期的计算过程,逐步' }),
        metBy: z.object({ event: z.string(), label: z.string() }),
        next: z.object({ kind: z.string(), label: z.string(), at: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'DeadlineWhy' });

const FormatRequestSchema = z.strictObject({ files: RulesFilesSchema }).meta({ id: 'RulesFormatRequest' });

const FormattedSchema = z
  .object({
    files: z.array(z.object({ name: z.string(), text: z.string().meta({ description: '排版后的全文' }), changed: z.boolean().meta({ description: '与提交的文本不同' }) })),
  })
  .meta({ id: 'RulesFormatted' });

const ExplainRequestSchema = z
  .strictObject({
    files: RulesFilesSchema,
    procedure: ProcedureIdSchema.optional().meta({ description: '只说明这一个程序' }),
  })
  .meta({ id: 'RulesExplainRequest' });

const ExplanationSchema = z
  .object({
    procedures: z.array(z.object({ id: z.string(), title: z.string(), version: z.number().int(), text: z.string().meta({ description: '用中文说明规则会让系统做什么,与 reform rules explain 的输出相同' }) })),
  })
  .meta({ id: 'RulesExplanation' });

const DiffQuerySchema = z.strictObject({ against: VersionOrLatestSchema.optional().meta({ description: '与哪一版比较,默认最新版(latest)' }) });
const WhyQuerySchema = z.strictObject({ deadline: z.string().min(1).max(200).optional().meta({ description: '只看这一个时限(标识或键,如 filing 或 filing#0)' }) });

const NOT_FOUND = { status: 404, description: '没有该流程或版本', standardSchema: ErrorBodySchema } as const;
const INVALID = { status: 422, description: '规则有错误(diagnostics 列出每处错误的文件、行、列)', standardSchema: ErrorBodySchema } as const;

/**
 * Procedures and rulesets through the same use cases as `reform rules` (RulesDesk over
 * @reform/plans' rulesets): publish, the text and diff of a version, simulate, migrate, why.
 */
@ApiTags('规则')
@Controller()
@RequireUser()
export class RulesetsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private desk(): RulesDesk {
    return enabled(this.deps.rules, '规则服务');
  }


  @Post('rules/publish')
  @HttpCode(201)
  @ApiOperation({ summary: '发布规则', description: '检查规则文件,无错误时把其中每个程序发布为新版本(省级改革办)。有错误时 422,不发布任何内容;与已发布版本含义相同的不发新版本。' })
  @ApiResponse({ status: 201, standardSchema: PublishedSchema })
  @ApiResponse({ status: 403, description: '只有省级改革办可以发布', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '规则写明的版本已发布且内容不同', standardSchema: ErrorBodySchema })
  @ApiResponse(INVALID)
  async publish(@CurrentCaller() caller: Caller, @Body({ schema: RulesFilesRequestSchema }) body: z.infer<typeof RulesFilesRequestSchema>) {
    return { procedures: await this.desk().publish(caller, body.files) };
  }

  @Post('rules/format')
  @HttpCode(200)
  @ApiOperation({ summary: '规则排版', description: '把规则文件排成统一格式,与 reform rules fmt 相同(改革办)。有语法错误时 422,不排版任何文件。' })
  @ApiResponse({ status: 200, standardSchema: FormattedSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以使用规则工作台', standardSchema: ErrorBodySchema })
  @ApiResponse(INVALID)
  async format(@CurrentCaller() caller: Caller, @Body({ schema: FormatRequestSchema }) body: z.infer<typeof FormatRequestSchema>) {
    return { files: await this.desk().format(caller, body.files) };
  }

  @Post('rules/explain')
  @HttpCode(200)
  @ApiOperation({ summary: '用中文说明规则', description: '规则文件中每个程序(或 procedure 指定的一个)会让系统做什么,与 reform rules explain 相同(改革办)。有错误时 422。' })
  @ApiResponse({ status: 200, standardSchema: ExplanationSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以使用规则工作台', standardSchema: ErrorBodySchema })
  @ApiResponse(INVALID)
  async explain(@CurrentCaller() caller: Caller, @Body({ schema: ExplainRequestSchema }) body: z.infer<typeof ExplainRequestSchema>) {
    return { procedures: await this.desk().explain(caller, body.files, body.procedure) };
  }

  @Post('rules/diff')
  @HttpCode(200)
  @ApiOperation({ summary: '规则与已发布版本的差异', description: '提交的规则文件中每个程序与其最新已发布版本相比的变化,与 reform rules diff 相同。' })
  @ApiResponse({ status: 200, standardSchema: DiffListSchema })
  @ApiResponse(INVALID)
  async diffFiles(@Body({ schema: RulesFilesRequestSchema }) body: z.infer<typeof RulesFilesRequestSchema>) {
    return { procedures: await this.desk().diffFiles(body.files) };
  }

  @Post('rules/simulate')
  @HttpCode(200)
  @ApiOperation({ summary: '模拟规则', description: '本单位可见的每个运行中的方案,在现行规则和提交的规则下,到 until 为止将收到的函件;哪些函件改期(原日期和新日期)、不再发或新增。不改变任何方案。' })
  @ApiResponse({ status: 200, standardSchema: SimulationSchema })
  @ApiResponse(INVALID)
  simulate(@CurrentCaller() caller: Caller, @Body({ schema: SimulateRequestSchema }) body: z.infer<typeof SimulateRequestSchema>) {
    return this.desk().simulate(caller, body.files, body.until);
  }

  @Post('rules/migrate')
  @HttpCode(200)
  @ApiOperation({ summary: '迁移方案到已发布版本', description: '改革办把本级及下级运行中的方案迁移到流程的某一已发布版本。apply 为 false(默认)时只预演,不改动任何方案;为 true 时执行并记入审计。' })
  @ApiResponse({ status: 200, standardSchema: MigrationSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以迁移', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该流程、版本或方案', standardSchema: ErrorBodySchema })
  migrate(@CurrentCaller() caller: Caller, @Body({ schema: MigrateRequestSchema }) body: z.infer<typeof MigrateRequestSchema>) {
    return this.desk().migrate(caller, body satisfies MigrationRequest);
  }

  @Get('procedures/:id/versions/:version/text')
  @ApiOperation({ summary: '某一版本的规则原文', description: '发布该版本时的规则文件(程序文件和共用声明)。' })
  @ApiResponse({ status: 200, standardSchema: VersionTextSchema })
  @ApiResponse(NOT_FOUND)
  text(@Param('id', { schema: ProcedureIdSchema }) id: string, @Param('version', { schema: VersionParamSchema }) v: string) {
    return this.desk().versionText(id, Number(v));
  }

  @Get('procedures/:id/versions/:version/diff')
  @ApiOperation({ summary: '某一版本与另一版本的差异', description: '从 against(默认最新版)到该版本的变化,与 reform rules diff id@against id@version 相同。' })
  @ApiResponse({ status: 200, standardSchema: ProcedureDiffSchema })
  @ApiResponse(NOT_FOUND)
  diffVersion(@Param('id', { schema: ProcedureIdSchema }) id: string, @Param('version', { schema: VersionParamSchema }) v: string, @Query({ schema: DiffQuerySchema }) query: z.infer<typeof DiffQuerySchema>) {
    return this.desk().diffVersion(id, Number(v), query.against ? version(query.against) : 'latest');
  }

  @Get('plans/:id/why')
  @ApiOperation({ summary: '时限为何此日到期', description: '方案每个时限(或 deadline 指定的一个)的起算事件和业务日期、依据的规则、逐步的计算过程和下一封函件。' })
  @ApiResponse({ status: 200, standardSchema: WhySchema })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  why(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string, @Query({ schema: WhyQuerySchema }) query: z.infer<typeof WhyQuerySchema>) {
    return this.desk().why(caller, id, query.deadline);
  }
}
