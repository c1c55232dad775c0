import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { z } from 'zod';
import { ApiDeps, DEPS } from '../deps';
import { ApiError, ErrorBodySchema } from '../errors';

const Labelled = z.object({ id: z.string(), label: z.string() });

export const ProcedureVersionSchema = z
  .object({
    version: z.number().int(),
    title: z.string(),
    publishedAt: z.string().meta({ description: 'ISO 8601 发布时间' }),
    source: z.string().meta({ description: '规则来源编号,如 A9' }),
    attributes: z.array(Labelled),
    roles: z.array(Labelled),
    stages: z.array(Labelled.extend({ source: z.string().optional() })),
  })
  .meta({ id: 'ProcedureVersion' });

export const ProcedureListSchema = z
  .object({
    procedures: z.array(
      z.object({
        id: z.string(),
        title: z.string().meta({ description: '最新版本的名称' }),
        latestVersion: z.number().int(),
        versions: z.array(z.object({ version: z.number().int(), title: z.string(), publishedAt: z.string() })),
      }),
    ),
  })
  .meta({ id: 'ProcedureList' });

export const ProcedureVersionsSchema = z.object({ id: z.string(), versions: z.array(ProcedureVersionSchema) }).meta({ id: 'ProcedureVersions' });

/** A procedure id as the model defines it (the path parameter). */
const ProcedureIdSchema = ProcessDefinitionSchema.shape.id;

@ApiTags('流程')
@Controller('procedures')
export class ProceduresController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  @Get()
  @ApiOperation({ summary: '已发布的流程及其版本' })
  @ApiResponse({ status: 200, standardSchema: ProcedureListSchema })
  async list(): Promise<z.infer<typeof ProcedureListSchema>> {
    const byId = new Map<string, z.infer<typeof ProcedureListSchema>['procedures'][number]>();
    for (const d of await this.deps.definitions.list()) {
      const entry = byId.get(d.procedureId) ?? { id: d.procedureId, title: d.title, latestVersion: d.version, versions: [] };
      entry.versions.push({ version: d.version, title: d.title, publishedAt: d.publishedAt });
      if (d.version >= entry.latestVersion) Object.assign(entry, { title: d.title, latestVersion: d.version });
      byId.set(d.procedureId, entry);
    }
    return { procedures: [...byId.values()] };
  }

  @Get(':id/versions')
  @ApiOperation({ summary: '一个流程的全部已发布版本' })
  @ApiResponse({ status: 200, standardSchema: ProcedureVersionsSchema })
  @ApiResponse({ status: 404, description: '没有该流程', standardSchema: ErrorBodySchema })
  async versions(@Param('id', { schema: ProcedureIdSchema }) id: string): Promise<z.infer<typeof ProcedureVersionsSchema>> {
    const published = (await this.deps.definitions.list()).filter((d) => d.procedureId === id);
    if (!published.length) throw new ApiError(404, `没有已发布的流程「${id}」`);
    const versions = [];
    for (const p of published) {
      const def = await this.deps.definitions.get(id, p.version);
      if (!def) continue;
      versions.push({
        version: def.version,
        title: def.title,
        publishedAt: p.publishedAt,
        source: def.source,
        attributes: def.attributes.map((a) => ({ id: a.id, label: a.label })),
        roles: def.roles.map((r) => ({ id: r.id, label: r.label })),
        stages: def.stages.map((s) => ({ id: s.id, label: s.label, ...(s.source ? { source: s.source } : {}) })),
      });
    }
    return { id, versions };
  }
}
