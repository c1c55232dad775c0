import type { DataSource } from 'typeorm';
import { calendarMark } from './calendar-store';
import { preparedQuery } from './prepared-query';

/**
 * What the published rules and the loaded holiday calendar are now, in one small statement:
 * the latest version of each procedure, and a mark of the calendar years the office has loaded
 * (each year with when it was loaded and its length). A published version never changes (a
 * different body under a taken version is refused), so the versions say exactly which rules are
 * in force; a calendar load writes its time, so the mark changes with every load. Caches of what
 * is derived from the rules or the calendar key on these, so a publish or a load made by any
 * process is seen by the next read, with no time to live.
 */
export interface PublishedMarks {
  /** Procedure id → its latest published version. */
  latest: Map<string, number>;
  /** Changes whenever a calendar year is loaded or replaced. */
  calendar: string;
}

export async function publishedMarks(ds: DataSource): Promise<PublishedMarks> {
  const rows = await preparedQuery<{ kind: string; name: string; mark: string }>(
    ds,
    `SELECT 'p' AS kind, procedure_id AS name, CAST(MAX(version) AS TEXT) AS mark FROM procedure_definitions GROUP BY procedure_id
     UNION ALL
     SELECT 'c' AS kind, CAST(year AS TEXT) AS name, loaded_at || '/' || CAST(LENGTH(body) AS TEXT) AS mark FROM holiday_years`,
    [],
  );
  const latest = new Map<string, number>();
  const years: Array<{ year: string; loaded_at: string; length: string }> = [];
  for (const r of rows) {
    if (r.kind === 'p') latest.set(r.name, Number(r.mark));
    else {
      const cut = r.mark.lastIndexOf('/');
      years.push({ year: r.name, loaded_at: r.mark.slice(0, cut), length: r.mark.slice(cut + 1) });
    }
  }
  return { latest, calendar: calendarMark(years) };
}
