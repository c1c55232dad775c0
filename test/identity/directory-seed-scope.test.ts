import {
  formatDemoLogins,
  IdentityInputError,
  openIdentity,
  planAccess,
  scopeFor,
  seedDemo,
  UnitDirectory,
  UserAccounts,
} from '@reform/identity';
import { RegionEntity, UnitEntity, UserEntity } from '@reform/persistence';
import { inScope, PlanScope, Unit, UNIT_KINDS, UserProfileSchema } from '@reform/platform';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { rejection } from './fixtures';

describe.each(DB_KINDS)('demo province, unit directory and scope on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  let directory: UnitDirectory;
  let seeded: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    db = await testDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'reform-demo-'));
    seeded = await seedDemo(db.ds, { loginsFile: join(dir, 'demo-logins.txt') });
    directory = new UnitDirectory(db.ds);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = async () => ({
    regions: await db.ds.getRepository(RegionEntity).count(),
    units: await db.ds.getRepository(UnitEntity).count(),
    users: await db.ds.getRepository(UserEntity).count(),
  });
  const unit = async (id: string): Promise<Unit> => {
    const u = await directory.unit(id);
    if (!u) throw new Error(`no unit ${id}`);
    return u;
  };

  describe('seedDemo', () => {
    it('creates a province with cities and counties, and at every level its reform office, leading group, legal office, special groups with areas and departments', async () => {
      expect(seeded.created).toBe(true);
      const regions = await directory.regions();
      expect(regions.filter((r) => r.level === 'province').map((r) => r.name)).toEqual(['示范省']);
      expect(regions.filter((r) => r.level === 'city')).toHaveLength(2);
      expect(regions.filter((r) => r.level === 'county').length).toBeGreaterThanOrEqual(2);
      for (const r of regions) {
        const parent = regions.find((p) => p.id === r.parentId);
        expect(r.path).toBe(`${parent ? parent.path : '/'}${r.id}/`);
        const units = await directory.unitsOf(r.id);
        for (const one of ['reform_office', 'leading_group', 'legal_office'] as const) expect(units.filter((u) => u.kind === one)).toHaveLength(1);
        const groups = units.filter((u) => u.kind === 'special_group');
        expect(groups.length).toBeGreaterThanOrEqual(1);
        for (const g of groups) expect(g.area).toMatch(/改革$/);
        expect(units.filter((u) => u.kind === 'department').length).toBeGreaterThanOrEqual(2);
        for (const u of units.filter((x) => x.kind !== 'special_group')) expect(u.area).toBeNull();
      }
      expect((await directory.unitsOf('demo')).filter((u) => u.kind === 'special_group').map((u) => u.area)).toEqual(expect.arrayContaining(['经济体制改革']));
    });

    it('gives every unit kind a login, whose generated password works and is written to the 0600 file', async () => {
      const kinds = new Set(seeded.logins.map((l) => l.unitKind));
      expect([...kinds].sort()).toEqual([...UNIT_KINDS].sort());
      expect(new Set(seeded.logins.map((l) => l.password)).size).toBe(seeded.logins.length);
      for (const l of seeded.logins) expect(l.password).toMatch(/^[A-Za-z2-9]{16}$/);
      expect(await db.ds.getRepository(UserEntity).count()).toBe(seeded.logins.length);
      const file = readFileSync(seeded.loginsFile!, 'utf8');
      expect(file).toBe(formatDemoLogins(seeded.logins));
      for (const l of seeded.logins) expect(file).toContain(`用户名 ${l.username}  密码 ${l.password}`);
      expect(statSync(seeded.loginsFile!).mode & 0o777).toBe(0o600);
      // One login per kind, each works and names its unit, and its profile says who and where.
      const { auth, accounts } = await openIdentity(db.ds);
      for (const k of kinds) {
        const l = seeded.logins.find((x) => x.unitKind === k)!;
        const principal = await auth.verifyAccessToken((await auth.login(l.username, l.password)).accessToken);
        expect((await unit(principal.unitId)).kind).toBe(k);
        const profile = await accounts.profile(principal.userId);
        expect(profile).toMatchObject({ username: l.username, displayName: l.displayName, unit: { id: principal.unitId, name: l.unitName, kind: k }, roles: principal.roles });
        expect(profile!.roleLabels).toContain('经办人');
        expect(UserProfileSchema.parse(profile)).toEqual(profile);
        const hash = (await db.ds.getRepository(UserEntity).findOneByOrFail({ username: l.username })).passwordHash;
        expect(hash).not.toContain(l.password);
      }
    });

    it('is idempotent: a second run changes nothing and shows no passwords', async () => {
      const before = await counts();
      const fileBefore = readFileSync(seeded.loginsFile!, 'utf8');
      const again = await seedDemo(db.ds, { loginsFile: seeded.loginsFile });
      expect(again).toEqual({ created: false, logins: [] });
      expect(await counts()).toEqual(before);
      expect(readFileSync(seeded.loginsFile!, 'utf8')).toBe(fileBefore);
      expect(before.regions).toBeGreaterThan(0);
    });
  });

  describe('UnitDirectory', () => {
    it('reads units with their region path, children and the offices of a level', async () => {
      const county = (await directory.regions()).find((r) => r.level === 'county' && r.parentId === 'jia')!;
      const dept = (await directory.unitsOf(county.id)).find((u) => u.kind === 'department')!;
      expect(await directory.regionPathOf(dept.id)).toBe(`/demo/jia/${county.id}/`);
      expect(dept.region).toMatchObject({ level: 'county', levelLabel: '县(市、区)' });
      expect(dept.kindLabel).toBe('部门');
      expect((await directory.childRegions('demo')).map((r) => r.name)).toEqual(expect.arrayContaining(['示范省甲市', '示范省乙市']));
      expect((await directory.childRegions('demo')).every((r) => r.level === 'city')).toBe(true);
      expect((await directory.officeOf('/demo/jia/', 'legal_office'))?.id).toBe('jia-legal');
      expect(await directory.officeOf('/nowhere/', 'legal_office')).toBeNull();
      const under = await directory.unitsUnder('/demo/jia/');
      expect(under.every((u) => u.region.path.startsWith('/demo/jia/'))).toBe(true);
      expect(under.some((u) => u.region.path === `/demo/jia/${county.id}/`)).toBe(true);
      expect(await directory.unit('no-such-unit')).toBeNull();
      expect(await directory.regionPathOf('no-such-unit')).toBeNull();
    });

    it('keeps unit names unique per region, one reform office per level, and checks the hierarchy', async () => {
      const taken = await rejection(() => directory.addUnit({ id: 'jia-ndrc-2', name: '甲市发展和改革委员会', kind: 'department', regionId: 'jia' }));
      expect(taken).toBeInstanceOf(IdentityInputError);
      expect(taken.message).toContain('「示范省甲市」已有名为「甲市发展和改革委员会」的单位');
      // The same name in another region is another unit.
      const elsewhere = await directory.addUnit({ id: 'yi-ndrc-copy', name: '甲市发展和改革委员会', kind: 'department', regionId: 'yi' });
      expect(elsewhere.region.path).toBe('/demo/yi/');
      expect((await rejection(() => directory.addUnit({ id: 'jia-reform-2', name: '甲市第二改革办', kind: 'reform_office', regionId: 'jia' }))).message).toBe('「示范省甲市」已有改革办,每级只有一个');
      expect((await rejection(() => directory.addUnit({ id: 'jia-g3', name: '甲市第三专项小组', kind: 'special_group', regionId: 'jia' }))).message).toBe('专项小组「甲市第三专项小组」须写明所管领域');
      expect((await rejection(() => directory.addRegion({ id: 'x-county', name: '某县', level: 'county', parentId: 'demo' }))).message).toBe('地区「某县」是县(市、区)级,上级应为市级,「示范省」是省级');
      expect((await rejection(() => directory.addRegion({ id: 'x-city', name: '某市', level: 'city', parentId: 'nope' }))).message).toBe('地区「某市」的上级地区「nope」不存在');
      expect((await rejection(() => directory.addUnit({ id: 'jia-long', name: '长'.repeat(101), kind: 'department', regionId: 'jia' }))).message).toContain('超过数据库上限 100');
      const accounts = new UserAccounts(db.ds);
      expect((await rejection(() => accounts.create({ username: 'jia-edu', displayName: '重名', unitId: 'jia-edu', roles: ['staff'], password: 'long enough password' }))).message).toBe('用户名「jia-edu」已被使用');
      expect((await rejection(() => accounts.create({ username: 'weak', displayName: '弱密码', unitId: 'jia-edu', roles: ['staff'], password: 'short' }))).message).toBe('密码至少 10 个字符');
      await db.ds.getRepository(UnitEntity).delete({ id: 'yi-ndrc-copy' });
    });
  });

  describe('scope of each unit kind (inScope) against plans of its own and of another unit or region', () => {
    const CITY: PlanScope = { regionPath: '/demo/jia/', leadUnitId: 'jia-ndrc', specialGroupId: 'jia-econ', participatingUnitIds: ['jia-edu'] };
    const OTHER_CITY: PlanScope = { regionPath: '/demo/yi/', leadUnitId: 'yi-ndrc', specialGroupId: 'yi-econ', participatingUnitIds: ['yi-edu'] };
    const COUNTY: PlanScope = { regionPath: '/demo/jia/jia-dong/', leadUnitId: 'jia-dong-ndrc', specialGroupId: 'jia-dong-econ', participatingUnitIds: [] };
    const PROVINCE: PlanScope = { regionPath: '/demo/', leadUnitId: 'demo-ndrc', specialGroupId: 'demo-econ', participatingUnitIds: ['jia-ndrc'] };
    const PLANS = { CITY, OTHER_CITY, COUNTY, PROVINCE };

    // Issue 8: a lead unit sees and acts on its own plans, a participating unit reads those it takes
    // part in, a special group works on its area, the legal office on plans of its level under
    // review, the reform office and leading group on everything of their level and below.
    const TABLE: Array<[string, string, Array<keyof typeof PLANS>]> = [
      ['jia-ndrc', 'drafting', ['CITY', 'PROVINCE']],
      ['jia-edu', 'drafting', ['CITY']],
      ['jia-finance', 'drafting', []],
      ['jia-econ', 'drafting', ['CITY']],
      ['jia-social', 'drafting', []],
      ['jia-legal', 'drafting', []],
      ['jia-legal', 'legality_review', ['CITY']],
      ['jia-reform', 'drafting', ['CITY', 'COUNTY']],
      ['jia-leading', 'reform_office_review', ['CITY', 'COUNTY']],
      ['demo-reform', 'drafting', ['CITY', 'OTHER_CITY', 'COUNTY', 'PROVINCE']],
      ['demo-legal', 'legality_review', ['PROVINCE']],
      ['jia-dong-reform', 'drafting', ['COUNTY']],
    ];

    it.each(TABLE)('%s in stage %s sees %j', async (unitId, stage, visible) => {
      const u = (await directory.unit(unitId)) ?? (unitId === 'jia-finance' ? await directory.addUnit({ id: 'jia-finance', name: '甲市财政局', kind: 'department', regionId: 'jia' }) : null);
      if (!u) throw new Error(`no unit ${unitId}`);
      const scope = scopeFor(u);
      const seen = (Object.keys(PLANS) as Array<keyof typeof PLANS>).filter((k) => inScope(scope, PLANS[k], stage));
      expect(seen.sort()).toEqual([...visible].sort());
    });

    it('tells reading from acting: participants and higher levels read, the roles of the plan act', async () => {
      expect(planAccess(await unit('jia-ndrc'), CITY, 'drafting')).toEqual({ read: true, act: true, roles: ['lead_unit'] });
      expect(planAccess(await unit('jia-ndrc'), PROVINCE, 'drafting')).toEqual({ read: true, act: false, roles: [] });
      expect(planAccess(await unit('jia-edu'), CITY, 'drafting')).toEqual({ read: true, act: false, roles: [] });
      expect(planAccess(await unit('jia-econ'), CITY, 'special_group_review')).toEqual({ read: true, act: true, roles: ['special_group'] });
      expect(planAccess(await unit('jia-legal'), CITY, 'legality_review')).toEqual({ read: true, act: true, roles: ['legal_office'] });
      expect(planAccess(await unit('jia-legal'), CITY, 'drafting')).toEqual({ read: false, act: false, roles: [] });
      expect(planAccess(await unit('jia-reform'), CITY, 'reform_office_review')).toEqual({ read: true, act: true, roles: ['reform_office'] });
      expect(planAccess(await unit('jia-reform'), COUNTY, 'reform_office_review')).toEqual({ read: true, act: false, roles: [] });
      expect(planAccess(await unit('demo-leading'), PROVINCE, 'leading_group_meeting')).toEqual({ read: true, act: true, roles: ['leading_group'] });
      expect(planAccess(await unit('yi-reform'), CITY, 'drafting')).toEqual({ read: false, act: false, roles: [] });
    });

    it('the legal office leading a plan of its own level sees it as its lead unit, never as its reviewer', async () => {
      const own: PlanScope = { ...CITY, leadUnitId: 'jia-legal' };
      expect(planAccess(await unit('jia-legal'), own, 'legality_review')).toEqual({ read: true, act: true, roles: ['lead_unit'] });
    });
  });
});
