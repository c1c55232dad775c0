import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { checkColumnLengths, isUniqueViolation } from './errors';
import { EvidenceEntity, EvidenceRow, ItemChangeEntity, ItemChangeRow } from './item-entities';
import { inWriteTurn } from './turns';

/** A file received into the store's spool directory, not yet kept. */
export interface ReceivedFile {
  path: string;
  size: number;
  sha256: string;
  /** The first bytes (up to 4 KB), for sniffing the type. */
  head: Buffer;
}

/** The body was larger than allowed: nothing was kept. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

const HEAD_BYTES = 4096;

/** A spool file untouched this long is left over from an interrupted upload (one being received is written to all the time). */
export const STALE_SPOOL_MS = 60 * 60_000;

/**
 * Evidence files of specific reform items: the bytes on disk under `dir`, named by their SHA-256
 * (`dir/ab/abcdef…`: the same file uploaded twice is kept once), the metadata in item_evidence;
 * and the history of each item's changes (item_changes). A file is written to a spool file while
 * its hash and size are counted, and moved into place only once it has been accepted.
 */
export class EvidenceStore {
  constructor(
    private readonly ds: DataSource,
    readonly dir: string,
  ) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  /** Where a file with this hash lies. */
  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Reads the body into a spool file, counting its size and hash; past `maxBytes` it stops, removes the spool file and throws FileTooLargeError. */
  async receive(body: AsyncIterable<Buffer | string>, maxBytes: number): Promise<ReceivedFile> {
    const spool = join(this.dir, 'spool');
    await mkdir(spool, { recursive: true });
    const path = join(spool, `${randomUUID()}.part`);
    const out = createWriteStream(path, { flags: 'wx' });
    const hash = createHash('sha256');
    const heads: Buffer[] = [];
    let headSize = 0;
    let size = 0;
    try {
      for await (const piece of body) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
        size += chunk.length;
        if (size > maxBytes) throw new FileTooLargeError(maxBytes);
        hash.update(chunk);
        if (headSize < HEAD_BYTES) {
          heads.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
        }
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (e) {
      out.destroy();
      await rm(path, { force: true });
      throw e;
    }
    return { path, size, sha256: hash.digest('hex'), head: Buffer.concat(heads) };
  }

  /**
   * Removes the spool files of uploads a crash or a kill interrupted (`.part` files nobody has
   * written to for `staleMs`): the API runs it when it starts. A younger one may be an upload
   * another API process on the same directory is receiving, and stays. Returns how many went.
   */
  async sweepSpool(staleMs: number = STALE_SPOOL_MS, now: number = Date.now()): Promise<number> {
    const spool = join(this.dir, 'spool');
    let names: string[];
    try {
      names = await readdir(spool);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith('.part'))) {
      const path = join(spool, name);
      try {
        if (now - (await stat(path)).mtimeMs < staleMs) continue;
        await rm(path, { force: true });
        removed++;
      } catch (e) {
        // Gone meanwhile (its upload ended): nothing to do.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return removed;
  }

  /** Drops a spool file that was refused. */
  async discard(file: ReceivedFile): Promise<void> {
    await rm(file.path, { force: true });
  }

  /**
   * Moves the spool file to its content address (kept once per content) and writes its metadata
   * row; `opts.id` names the row (a retried upload's derived id: the row already there is the
   * answer, and nothing is written again), and `opts.within` writes in the row's transaction
   * (its audit row), so the two commit together.
   */
  async keep(file: ReceivedFile, row: Omit<EvidenceRow, 'id' | 'size' | 'sha256'>, opts: { id?: string; within?: (m: EntityManager, row: EvidenceRow) => Promise<void> } = {}): Promise<EvidenceRow> {
    const full: EvidenceRow = { ...row, id: opts.id ?? randomUUID(), size: file.size, sha256: file.sha256 };
    checkColumnLengths(EvidenceEntity, full, '佐证材料');
    const target = this.pathOf(file.sha256);
    await mkdir(join(this.dir, file.sha256.slice(0, 2)), { recursive: true });
    try {
      // link() never overwrites: a file already there has the same content.
      await link(file.path, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        await rm(file.path, { force: true });
        throw e;
      }
    }
    await rm(file.path, { force: true });
    return inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m) => {
        const kept = opts.id ? await m.getRepository(EvidenceEntity).findOneBy({ id: opts.id }) : null;
        if (kept) return kept;
        await m.getRepository(EvidenceEntity).insert(full);
        await opts.within?.(m, full);
        return full;
      }),
    );
  }

  async evidence(id: string): Promise<EvidenceRow | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    return this.ds.getRepository(EvidenceEntity).findOneBy({ id });
  }

  async evidenceOf(planId: string, itemId?: string): Promise<EvidenceRow[]> {
    return this.ds.getRepository(EvidenceEntity).find({ where: itemId === undefined ? { planId } : { planId, itemId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  /** The file's bytes, or null when they are missing on disk. */
  async open(row: EvidenceRow): Promise<Readable | null> {
    const path = this.pathOf(row.sha256);
    try {
      const s = await stat(path);
      if (s.size !== row.size) return null;
      const fd = await open(path, 'r');
      return createReadStream('', { fd });
    } catch {
      return null;
    }
  }

  /**
   * Appends a change to the item's history, numbered after the ones before it. Two changes of
   * one item at once on PostgreSQL may pick the same number: the loser's insert fails on the
   * key and it numbers again.
   */
  async recordChange(change: Omit<ItemChangeRow, 'seq'>): Promise<ItemChangeRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendChange(change);
      } catch (e) {
        if (attempt >= 5 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  private appendChange(change: Omit<ItemChangeRow, 'seq'>): Promise<ItemChangeRow> {
    return inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m: EntityManager) => {
        const p = this.postgres ? ['$1', '$2'] : ['?', '?'];
        const [{ last }]: Array<{ last: number | string | null }> = await m.query(`SELECT MAX(seq) AS last FROM item_changes WHERE plan_id = ${p[0]} AND item_id = ${p[1]}`, [change.planId, change.itemId]);
        const row: ItemChangeRow = { ...change, seq: Number(last ?? 0) + 1 };
        checkColumnLengths(ItemChangeEntity, row, '事项变更');
        await m.getRepository(ItemChangeEntity).insert(row);
        return row;
      }),
    );
  }

  async history(planId: string, itemId: string): Promise<ItemChangeRow[]> {
    return this.ds.getRepository(ItemChangeEntity).find({ where: { planId, itemId }, order: { seq: 'ASC' } });
  }
}
