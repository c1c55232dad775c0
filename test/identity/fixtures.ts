import { Clock, UnitDirectory, UserAccounts } from '@reform/identity';
import type { DataSource } from 'typeorm';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private t: number = Date.now()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A province with a city, and in the city a department with one user whose password the test knows. */
export async function oneUser(ds: DataSource, clock: Clock): Promise<{ userId: string; unitId: string; username: string; password: string }> {
  const dir = new UnitDirectory(ds);
  await dir.addRegion({ id: 'tp', name: '测试省', level: 'province' });
  await dir.addRegion({ id: 'tc', name: '测试市', level: 'city', parentId: 'tp' });
  const unit = await dir.addUnit({ id: 'tc-edu', name: '测试市教育局', kind: 'department', regionId: 'tc' });
  const password = 'correct horse battery 42';
  const user = await new UserAccounts(ds, clock).create({ username: 'clerk', displayName: '张三', unitId: unit.id, roles: ['staff'], password });
  return { userId: user.id, unitId: unit.id, username: 'clerk', password };
}

/** Calls `f` and returns what it threw (fails if it did not throw). */
export async function rejection(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** An instant as the lockout message writes it: Beijing time (UTC+8), 'YYYY-MM-DD HH:mm'. */
export const beijing = (d: Date): string => new Date(d.getTime() + 8 * 60 * MINUTE).toISOString().slice(0, 16).replace('T', ' ');
