import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CalendarDesk } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { DiagnosticSchema, ErrorBodySchema } from '../errors';

/** No year's arrangements come near this: a few dozen lines. */
const MAX_TEXT = 200_000;

const HolidayFileSchema = z
  .strictObject({
    name: z
      .string()
      .min(1, '须写明文件名')
      .max(200, '文件名最长 200 个字符')
      .regex(/^[^/\\\0]+\.(holidays|json)$/i, '文件名应形如 2027.holidays,不含路径'),
    text: z.string().min(1, '文件内容为空').max(MAX_TEXT, `文件最长 ${MAX_TEXT} 个字符`).meta({ description: '节假日安排文件全文(UTF-8),格式见 rules/calendar/2026.holidays' }),
  })
  .meta({ id: 'HolidayFileRequest' });

const HolidayYearSchema = z
  .object({
    year: z.number().int(),
    source: z.string().meta({ description: '依据(通知名称)' }),
    holidays: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
    workdays: z.array(z.object({ name: z.string(), date: z.string() })).meta({ description: '调休上班日' }),
    loadedAt: z.string().nullable().meta({ description: '载入时间;随产品提供、未另行载入的为 null' }),
  })
  .meta({ id: 'HolidayYear' });

const YearsSchema = z.object({ years: z.array(HolidayYearSchema) }).meta({ id: 'HolidayYears' });

const CheckedSchema = z
  .object({ ok: z.literal(true), year: HolidayYearSchema, diagnostics: z.array(DiagnosticSchema).meta({ description: '警告(没有错误时)' }) })
  .meta({ id: 'HolidayFileCheck' });

const LoadedSchema = z
  .object({
    year: HolidayYearSchema,
    replaced: z.boolean().meta({ description: '替换了此前载入的同一年' }),
    plansNotified: z.boolean().meta({ description: '已通知运行中的方案(未连接 Temporal 时为 false)' }),
    moved: z.array(z.object({ workflowId: z.string(), key: z.string(), from: z.string(), to: z.string() })).meta({ description: '随之调整的截止日期' }),
  })
  .meta({ id: 'HolidayYearLoaded' });

const FORBIDDEN = { status: 403, description: '只有改革办可以管理节假日安排', standardSchema: ErrorBodySchema } as const;
const INVALID = { status: 422, description: '文件有错误(diagnostics 列出每处错误的行、列)', standardSchema: ErrorBodySchema } as const;

/** The holiday calendar (issue 10): the same use cases as `reform calendar list|check|load` (CalendarDesk). */
@ApiTags('节假日安排')
@Controller('calendar')
@RequireUser()
export class CalendarController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private desk(): CalendarDesk {
    return enabled(this.deps.calendar, '节假日安排');
  }

  @Get()
  @ApiOperation({ summary: '现行的节假日安排', description: '每年的放假和调休上班日:随产品提供的和改革办载入的(改革办)。' })
  @ApiResponse({ status: 200, standardSchema: YearsSchema })
  @ApiResponse(FORBIDDEN)
  years(@CurrentCaller() caller: Caller) {
    return this.desk().years(caller);
  }

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: '检查节假日安排文件', description: '与 reform calendar check 相同:无错误时 200 和该年的安排;有错误时 422,diagnostics 列出每处的行、列和说明。不载入任何内容。' })
  @ApiResponse({ status: 200, standardSchema: CheckedSchema })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(INVALID)
  check(@CurrentCaller() caller: Caller, @Body({ schema: HolidayFileSchema }) body: z.infer<typeof HolidayFileSchema>) {
    return this.desk().check(caller, body.name, body.text);
  }

  @Post('load')
  @HttpCode(201)
  @ApiOperation({ summary: '载入节假日安排', description: '与 reform calendar load 相同:检查无误后载入(替换同一年),记入审计,并通知运行中的方案重算截止日期(省级改革办)。有错误时 422,不载入。' })
  @ApiResponse({ status: 201, standardSchema: LoadedSchema })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(INVALID)
  load(@CurrentCaller() caller: Caller, @Body({ schema: HolidayFileSchema }) body: z.infer<typeof HolidayFileSchema>) {
    return this.desk().load(caller, body.name, body.text);
  }
}
