import { checkColumnLengths, isUniqueViolation, RegionEntity, RegionRow, UnitEntity, UnitRow } from '@reform/persistence';
import {
  REGION_ID_PATTERN,
  REGION_LEVEL_LABELS,
  REGION_LEVELS,
  Region,
  RegionLevel,
  Unit,
  UNIT_ID_PATTERN,
  UNIT_KIND_LABELS,
  UNIT_KINDS,
  UnitKind,
} from '@reform/platform';
import { DataSource, EntityManager } from 'typeorm';
import { IdentityInputError } from './errors';

export const toRegion = (r: RegionRow): Region => ({ id: r.id, name: r.name, level: r.level, levelLabel: REGION_LEVEL_LABELS[r.level], parentId: r.parentId, path: r.path });

export const toUnit = (u: UnitRow, region: RegionRow): Unit => ({ id: u.id, name: u.name, kind: u.kind, kindLabel: UNIT_KIND_LABELS[u.kind], region: toRegion(region), area: u.area });

/** The level a region's parent has (a province has none). */
const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { province: null, city: 'province', county: 'city' };

/** Units whose kind is one per level. */
const ONE_PER_LEVEL: UnitKind[] = ['reform_office', 'leading_group', 'legal_office'];

export interface NewRegion {
  id: string;
  name: string;
  level: RegionLevel;
  parentId?: string | null;
}

export interface NewUnit {
  id: string;
  name: string;
  kind: UnitKind;
  regionId: string;
  /** A special group's area; required for special groups, refused for other units. */
  area?: string | null;
}

/**
 * The government hierarchy (province → city → county) and its units. Reads for the API and for
 * role derivation; `addRegion` / `addUnit` for the demo seed and for administration.
 */
export class UnitDirectory {
  constructor(private readonly ds: DataSource | EntityManager) {}

  private get manager(): EntityManager {
    return this.ds instanceof DataSource ? this.ds.manager : this.ds;
  }

  /** Every region, the province first and each region before those under it (path order). */
  async regions(): Promise<Region[]> {
    return (await this.manager.getRepository(RegionEntity).find({ order: { path: 'ASC' } })).map(toRegion);
  }

  async region(id: string): Promise<Region | null> {
    const row = await this.manager.getRepository(RegionEntity).findOneBy({ id });
    return row ? toRegion(row) : null;
  }

  /** The regions directly under a region (a province's cities, a city's counties). */
  async childRegions(regionId: string): Promise<Region[]> {
    return (await this.manager.getRepository(RegionEntity).find({ where: { parentId: regionId }, order: { path: 'ASC' } })).map(toRegion);
  }

  /** Every unit, by region path, then kind, then name. */
  async units(): Promise<Unit[]> {
    return this.unitsWhere();
  }

  /** The units of exactly this region. */
  async unitsOf(regionId: string): Promise<Unit[]> {
    return this.unitsWhere((u) => u.regionId === regionId);
  }

  /** The units of a region and every region below it (a path prefix, e.g. `/sc/cd/`). */
  async unitsUnder(pathPrefix: string): Promise<Unit[]> {
    const regions = await this.manager.getRepository(RegionEntity).find();
    const ids = new Set(regions.filter((r) => r.path.startsWith(pathPrefix)).map((r) => r.id));
    return this.unitsWhere((u) => ids.has(u.regionId));
  }

  async unit(id: string): Promise<Unit | null> {
    const row = await this.manager.getRepository(UnitEntity).findOneBy({ id });
    if (!row) return null;
    const region = await this.manager.getRepository(RegionEntity).findOneByOrFail({ id: row.regionId });
    return toUnit(row, region);
  }

  /** The region path of a unit (`/sc/cd/`), or null for an unknown unit. */
  async regionPathOf(unitId: string): Promise<string | null> {
    return (await this.unit(unitId))?.region.path ?? null;
  }

  /** The reform office, leading group or legal office of a level (region path), or null if it has none. */
  async officeOf(regionPath: string, kind: 'reform_office' | 'leading_group' | 'legal_office'): Promise<Unit | null> {
    const region = await this.manager.getRepository(RegionEntity).findOneBy({ path: regionPath });
    if (!region) return null;
    const row = await this.manager.getRepository(UnitEntity).findOneBy({ regionId: region.id, kind });
    return row ? toUnit(row, region) : null;
  }

  private async unitsWhere(keep: (u: UnitRow) => boolean = () => true): Promise<Unit[]> {
    const [regions, units] = await Promise.all([this.manager.getRepository(RegionEntity).find(), this.manager.getRepository(UnitEntity).find()]);
    const byId = new Map(regions.map((r) => [r.id, r]));
    return units
      .filter(keep)
      .map((u) => toUnit(u, byId.get(u.regionId)!))
      .sort((a, b) => cmp(a.region.path, b.region.path) || UNIT_KINDS.indexOf(a.kind) - UNIT_KINDS.indexOf(b.kind) || cmp(a.name, b.name));
  }

  /** Adds a region under its parent; its path is the parent's path plus its id. */
  async addRegion(input: NewRegion): Promise<Region> {
    if (!REGION_LEVELS.includes(input.level)) throw new IdentityInputError(`地区「${input.name}」的层级「${String(input.level)}」不对,应为 ${REGION_LEVELS.join('、')} 之一`);
    if (!REGION_ID_PATTERN.test(input.id)) throw new IdentityInputError(`地区编号「${input.id}」只能含小写字母、数字和连字符`);
    const name = input.name.trim();
    if (!name) throw new IdentityInputError(`地区「${input.id}」须写明名称`);
    const parentLevel = PARENT_LEVEL[input.level];
    let path = `/${input.id}/`;
    if (parentLevel === null) {
      if (input.parentId) throw new IdentityInputError(`地区「${name}」是省级,不能有上级地区`);
    } else {
      const parent = input.parentId ? await this.manager.getRepository(RegionEntity).findOneBy({ id: input.parentId }) : null;
      if (!parent) throw new IdentityInputError(`地区「${name}」的上级地区「${input.parentId ?? '(未填)'}」不存在`, 404);
      if (parent.level !== parentLevel) throw new IdentityInputError(`地区「${name}」是${REGION_LEVEL_LABELS[input.level]}级,上级应为${REGION_LEVEL_LABELS[parentLevel]}级,「${parent.name}」是${REGION_LEVEL_LABELS[parent.level]}级`);
      path = `${parent.path}${input.id}/`;
    }
    const row: RegionRow = { id: input.id, name, level: input.level, parentId: input.parentId ?? null, path };
    checkLengths(RegionEntity, row, '地区');
    await this.insert(() => this.manager.getRepository(RegionEntity).insert(row), `地区编号「${input.id}」已被使用`);
    return toRegion(row);
  }

  /** Adds a unit at a region. A level has one reform office, one leading group and one legal office; names are unique per region. */
  async addUnit(input: NewUnit): Promise<Unit> {
    if (!UNIT_KINDS.includes(input.kind)) throw new IdentityInputError(`单位「${input.name}」的类别「${String(input.kind)}」不对,应为 ${UNIT_KINDS.join('、')} 之一`);
    if (!UNIT_ID_PATTERN.test(input.id)) throw new IdentityInputError(`单位编号「${input.id}」只能含小写字母、数字、点、连字符和下划线`);
    const name = input.name.trim();
    if (!name) throw new IdentityInputError(`单位「${input.id}」须写明名称`);
    const area = input.area?.trim() || null;
    if (input.kind === 'special_group' && !area) throw new IdentityInputError(`专项小组「${name}」须写明所管领域`);
    if (input.kind !== 'special_group' && area) throw new IdentityInputError(`只有专项小组有所管领域,「${name}」是${UNIT_KIND_LABELS[input.kind]}`);
    const region = await this.manager.getRepository(RegionEntity).findOneBy({ id: input.regionId });
    if (!region) throw new IdentityInputError(`单位「${name}」所在地区「${input.regionId}」不存在`, 404);
    if (ONE_PER_LEVEL.includes(input.kind) && (await this.manager.getRepository(UnitEntity).countBy({ regionId: region.id, kind: input.kind })) > 0) {
      throw new IdentityInputError(`「${region.name}」已有${UNIT_KIND_LABELS[input.kind]},每级只有一个`, 409);
    }
    const row: UnitRow = { id: input.id, name, kind: input.kind, regionId: region.id, area };
    checkLengths(UnitEntity, row, '单位');
    await this.insert(() => this.manager.getRepository(UnitEntity).insert(row), `单位编号「${input.id}」已被使用,或「${region.name}」已有名为「${name}」的单位`);
    return toUnit(row, region);
  }

  private async insert(write: () => Promise<unknown>, taken: string): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityInputError(taken, 409);
      throw e;
    }
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value too long for its column is the caller's to fix: an IdentityInputError naming the field. */
function checkLengths<T extends object>(entity: Parameters<typeof checkColumnLengths<T>>[0], row: T, what: string): void {
  try {
    checkColumnLengths(entity, row, what);
  } catch (e) {
    throw new IdentityInputError((e as Error).message);
  }
}
