import { isUniqueViolation, RegionEntity } from '@reform/persistence';
import { RegionLevel, UNIT_KIND_LABELS, UnitKind, UnitRole } from '@reform/platform';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { UserAccounts } from './accounts';
import { Clock, systemClock } from './clock';
import { generatePassword } from './passwords';
import { UnitDirectory } from './unit-directory';

/** One demo login as `start` prints it. */
export interface DemoLogin {
  username: string;
  password: string;
  displayName: string;
  unitName: string;
  unitKind: UnitKind;
  regionName: string;
}

export interface DemoSeedResult {
  /** False when the database already had regions: nothing was written and no passwords are known. */
  created: boolean;
  logins: DemoLogin[];
  /** Where the logins were written (mode 0600), when a file was asked for and the seed ran. */
  loginsFile?: string;
}

interface DemoUnit {
  suffix: string;
  name: string;
  kind: UnitKind;
  area?: string;
}

interface DemoRegion {
  id: string;
  name: string;
  level: RegionLevel;
  parentId?: string;
  units: DemoUnit[];
  /** Whether each of its units gets a login (the province, one city and one county do). */
  logins: boolean;
}

/** The offices every level has (the legal office is 司法厅 at the province, 司法局 below). */
function offices(prefix: string, level: RegionLevel): DemoUnit[] {
  return [
    { suffix: 'reform', name: `${prefix}改革办`, kind: 'reform_office' },
    { suffix: 'leading', name: `${prefix}全面深化改革领导小组`, kind: 'leading_group' },
    { suffix: 'legal', name: `${prefix}${level === 'province' ? '司法厅' : '司法局'}`, kind: 'legal_office' },
  ];
}

function groups(prefix: string): DemoUnit[] {
  return [
    { suffix: 'econ', name: `${prefix}经济体制改革专项小组`, kind: 'special_group', area: '经济体制改革' },
    { suffix: 'social', name: `${prefix}社会体制改革专项小组`, kind: 'special_group', area: '社会体制改革' },
  ];
}

function departments(prefix: string, level: RegionLevel, names: Array<[string, string]>): DemoUnit[] {
  const office = level === 'province' ? '厅' : '局';
  return names.map(([suffix, name]) => ({ suffix, name: `${prefix}${name.replace('$', office)}`, kind: 'department' as const }));
}

/** The demo province: 示范省 with two cities and three counties, every office at every level. */
export const DEMO_REGIONS: DemoRegion[] = [
  {
    id: 'demo',
    name: '示范省',
    level: 'province',
    logins: true,
    units: [
      ...offices('示范省', 'province'),
      ...groups('示范省'),
      ...departments('示范省', 'province', [
        ['ndrc', '发展和改革委员会'],
        ['edu', '教育$'],
        ['finance', '财政$'],
      ]),
    ],
  },
  {
    id: 'jia',
    name: '示范省甲市',
    level: 'city',
    parentId: 'demo',
    logins: true,
    units: [...offices('甲市', 'city'), ...groups('甲市'), ...departments('甲市', 'city', [['ndrc', '发展和改革委员会'], ['edu', '教育$']])],
  },
  {
    id: 'yi',
    name: '示范省乙市',
    level: 'city',
    parentId: 'demo',
    logins: false,
    units: [...offices('乙市', 'city'), ...groups('乙市'), ...departments('乙市', 'city', [['ndrc', '发展和改革委员会'], ['edu', '教育$']])],
  },
  {
    id: 'jia-dong',
    name: '甲市东城区',
    level: 'county',
    parentId: 'jia',
    logins: true,
    units: [...offices('东城区', 'county'), groups('东城区')[0], ...departments('东城区', 'county', [['ndrc', '发展和改革局'], ['edu', '教育$']])],
  },
  {
    id: 'jia-xi',
    name: '甲市西山县',
    level: 'county',
    parentId: 'jia',
    logins: false,
    units: [...offices('西山县', 'county'), groups('西山县')[0], ...departments('西山县', 'county', [['ndrc', '发展和改革局'], ['edu', '教育$']])],
  },
  {
    id: 'yi-nan',
    name: '乙市南湖区',
    level: 'county',
    parentId: 'yi',
    logins: false,
    units: [...offices('南湖区', 'county'), groups('南湖区')[0], ...departments('南湖区', 'county', [['ndrc', '发展和改革局'], ['edu', '教育$']])],
  },
];

/** A unit's id, and its demo user's name: region id and the unit's suffix (`jia-legal`). */
export const demoUnitId = (regionId: string, suffix: string): string => `${regionId}-${suffix}`;

/**
 * On a database without regions, creates the demo province and one user per unit of the province,
 * of 甲市 and of 东城区, each with a generated password (argon2id-hashed in the database; the
 * plain passwords exist only in the result and, if `loginsFile` is given, in that file, mode
 * 0600). On a database that has regions it changes nothing. Safe to call at every start, and
 * from two processes at once (the loser of the race writes nothing).
 */
export async function seedDemo(ds: DataSource, opts: { loginsFile?: string; clock?: Clock } = {}): Promise<DemoSeedResult> {
  if ((await ds.getRepository(RegionEntity).count()) > 0) return { created: false, logins: [] };
  const clock = opts.clock ?? systemClock;
  const logins: DemoLogin[] = [];
  try {
    await ds.transaction(async (m) => {
      const directory = new UnitDirectory(m);
      const accounts = new UserAccounts(m, clock);
      for (const r of DEMO_REGIONS) {
        const region = await directory.addRegion({ id: r.id, name: r.name, level: r.level, parentId: r.parentId ?? null });
        for (const u of r.units) {
          const unit = await directory.addUnit({ id: demoUnitId(r.id, u.suffix), name: u.name, kind: u.kind, regionId: region.id, area: u.area ?? null });
          if (!r.logins) continue;
          const password = generatePassword();
          const roles: UnitRole[] = r.level === 'province' && u.kind === 'reform_office' ? ['staff', 'admin'] : ['staff'];
          const displayName = `${unit.name}演示用户`;
          await accounts.create({ username: unit.id, displayName, unitId: unit.id, roles, password });
          logins.push({ username: unit.id, password, displayName, unitName: unit.name, unitKind: unit.kind, regionName: region.name });
        }
      }
    });
  } catch (e) {
    // Another process seeded the same empty database first: its seed stands.
    if (isUniqueViolation(e) && (await ds.getRepository(RegionEntity).count()) > 0) return { created: false, logins: [] };
    throw e;
  }
  if (!opts.loginsFile) return { created: true, logins };
  mkdirSync(dirname(opts.loginsFile), { recursive: true });
  writeFileSync(opts.loginsFile, formatDemoLogins(logins), { mode: 0o600 });
  chmodSync(opts.loginsFile, 0o600);
  return { created: true, logins, loginsFile: opts.loginsFile };
}

/** The logins as `start` prints them and the file keeps them (Chinese, one line each). */
export function formatDemoLogins(logins: DemoLogin[]): string {
  const lines = [
    '演示账号(仅供演示,密码随机生成,只在首次建库时显示一次;正式使用前请删除演示数据)',
    ...logins.map((l) => `${l.regionName} ${l.unitName}(${UNIT_KIND_LABELS[l.unitKind]}):用户名 ${l.username}  密码 ${l.password}`),
  ];
  return `${lines.join('\n')}\n`;
}
