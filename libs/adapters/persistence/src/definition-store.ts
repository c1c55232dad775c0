import { UserError } from '@reform/config';
import { checkDefinition, ProcessDefinition } from '@reform/definitions';
import { DataSource } from 'typeorm';
import { DefinitionEntity, ProcedureSourceEntity } from './entities';
import { isUniqueViolation } from './errors';
import { inWriteTurn } from './turns';

/** A version already published with other content: the user's to resolve (a new version number). */
export class DefinitionConflictError extends UserError {}

/** Two definitions mean the same when they differ at most in their version number. */
export function sameMeaning(a: ProcessDefinition, b: ProcessDefinition): boolean {
  return JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });
}

/** A rules file a version was published from. */
export interface PublishedSource {
  name: string;
  text: string;
}

/** Published procedure versions: immutable; new plans take the latest, running ones keep theirs. */
export class DefinitionStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Publishes a version, with the rules files it was compiled from when given (kept with it, in
   * the same transaction). Re-publishing the identical body is a no-op; a different body under a
   * taken version is refused.
   */
  async publish(def: ProcessDefinition, now: Date = new Date(), sources?: PublishedSource[]): Promise<'published' | 'unchanged'> {
    const checked = checkDefinition(def);
    if (!checked.value) throw new Error(checked.diagnostics.map((d) => `${d.path}: ${d.message}`).join('; '));
    const repo = this.ds.getRepository(DefinitionEntity);
    const body = JSON.stringify(checked.value);
    const existing = await repo.findOneBy({ procedureId: def.id, version: def.version });
    if (existing) {
      if (existing.body === body) return 'unchanged';
      throw new DefinitionConflictError(`流程「${def.id}」第${def.version}版已发布且内容不同;已发布的版本不能修改,请提高版本号`);
    }
    try {
      // One write transaction at a time on a shared SQLite connection (as the letter store does).
      await inWriteTurn(this.ds, () =>
        this.ds.transaction(async (m) => {
          await m.getRepository(DefinitionEntity).insert({ procedureId: def.id, version: def.version, title: def.title, body, publishedAt: now.toISOString() });
          if (sources?.length) await m.getRepository(ProcedureSourceEntity).insert({ procedureId: def.id, version: def.version, files: JSON.stringify(sources.map(({ name, text }) => ({ name, text }))) });
        }),
      );
      return 'published';
    } catch (e) {
      // Published by another process between our look-up and our insert.
      if (!isUniqueViolation(e)) throw e;
      const winner = await repo.findOneBy({ procedureId: def.id, version: def.version });
      if (winner?.body === body) return 'unchanged';
      throw new DefinitionConflictError(`流程「${def.id}」第${def.version}版已发布且内容不同;已发布的版本不能修改,请提高版本号`);
    }
  }

  /**
   * Publishes `def` as the next version of its procedure (the latest plus one), unless it means
   * the same as the latest, which is then kept. Returns the version new plans will take.
   */
  async publishNext(def: ProcessDefinition, now: Date = new Date(), sources?: PublishedSource[]): Promise<{ status: 'published' | 'unchanged'; version: number }> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.latest(def.id);
      if (latest && sameMeaning(latest, def)) return { status: 'unchanged', version: latest.version };
      const version = (latest?.version ?? 0) + 1;
      try {
        await this.publish({ ...def, version }, now, sources);
        return { status: 'published', version };
      } catch (e) {
        // Another publisher took that number first: look again (at most a few times).
        if (!(e instanceof DefinitionConflictError) || attempt >= 3) throw e;
      }
    }
  }

  async latest(procedureId: string): Promise<ProcessDefinition | null> {
    const row = await this.ds.getRepository(DefinitionEntity).findOne({ where: { procedureId }, order: { version: 'DESC' } });
    return row ? (JSON.parse(row.body) as ProcessDefinition) : null;
  }

  async get(procedureId: string, version: number): Promise<ProcessDefinition | null> {
    const row = await this.ds.getRepository(DefinitionEntity).findOneBy({ procedureId, version });
    return row ? (JSON.parse(row.body) as ProcessDefinition) : null;
  }

  /** The rules files a version was published from; null when none were kept (published before they were). */
  async sources(procedureId: string, version: number): Promise<PublishedSource[] | null> {
    const row = await this.ds.getRepository(ProcedureSourceEntity).findOneBy({ procedureId, version });
    return row ? (JSON.parse(row.files) as PublishedSource[]) : null;
  }

  async list(): Promise<Array<{ procedureId: string; version: number; title: string; publishedAt: string }>> {
    // The versions only, not their definitions' text: lists and the ledger's lights read this per request.
    const rows = await this.ds.getRepository(DefinitionEntity).find({ select: { procedureId: true, version: true, title: true, publishedAt: true }, order: { procedureId: 'ASC', version: 'ASC' } });
    return rows.map(({ procedureId, version, title, publishedAt }) => ({ procedureId, version, title, publishedAt }));
  }
}
