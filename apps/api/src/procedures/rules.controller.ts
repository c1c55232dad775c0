import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { checkRules, RulesInvalidError, withSharedRules } from '@reform/procedures';
import { z } from 'zod';
import { ApiDeps, DEPS } from '../deps';
import { DiagnosticSchema, ErrorBodySchema } from '../errors';

/** The CLI's limit for one rules file, and no procedure set needs more files. */
const MAX_FILES = 50;

/** The rules files of a request: names without folders, each at most once. */
export const RulesFilesSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .min(1, '须写明文件名')
        .max(200, '文件名最长 200 个字符')
        .regex(/^[^/\\\0]+\.rules$/, '文件名应形如 reform_plan.rules,不含路径'),
      text: z.string().meta({ description: '规则文件全文(UTF-8)' }),
    }),
  )
  .min(1, '至少提交一个规则文件')
  .max(MAX_FILES, `一次最多检查 ${MAX_FILES} 个文件`)
  .refine((files) => new Set(files.map((f) => f.name)).size === files.length, '文件名不能重复');

export const RulesCheckRequestSchema = z
  .strictObject({
    files: RulesFilesSchema,
    partial: z.boolean().optional().meta({ description: '这些文件只是规则集的一部分(如规则工作台只编辑一个程序及共用声明):不检查只有全部程序在场时才能判断的事项(如从不办理动作的角色)' }),
  })
  .meta({
    id: 'RulesCheckRequest',
    description: '要检查的规则文件;未提交共用声明(如 common.rules)时,使用标准规则中的共用声明',
  });

export const RulesCheckSchema = z
  .object({
    ok: z.literal(true),
    files: z.array(z.string()),
    procedures: z.array(z.object({ id: z.string(), version: z.number().int(), title: z.string() })),
    schemes: z.array(z.object({ id: z.string(), title: z.string(), fullMarks: z.number() })).meta({ description: '定义的考核细则(考核声明)' }),
    diagnostics: z.array(DiagnosticSchema).meta({ description: '警告(没有错误时)' }),
  })
  .meta({ id: 'RulesCheck' });

@ApiTags('规则')
@Controller('rules')
export class RulesController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: '检查规则文件', description: '没有错误时 200,列出定义的程序和警告;有错误时 422,diagnostics 列出每处错误的文件、行、列、代码和说明。不发布任何东西。' })
  @ApiResponse({ status: 200, standardSchema: RulesCheckSchema })
  @ApiResponse({ status: 422, description: '规则有错误', standardSchema: ErrorBodySchema })
  check(@Body({ schema: RulesCheckRequestSchema }) body: z.infer<typeof RulesCheckRequestSchema>): z.infer<typeof RulesCheckSchema> {
    const { inputs, partial } = withSharedRules(body.files, this.deps.standardRules ?? (() => []));
    const result = checkRules(inputs, { partial: partial || !!body.partial });
    if (!result.ok) throw new RulesInvalidError(result);
    return { ...result, ok: true };
  }
}
