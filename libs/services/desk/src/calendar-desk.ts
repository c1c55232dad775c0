import type { AuditService } from '@reform/audit';
import type { HolidayYear } from '@reform/calendar';
import { ForbiddenError, UserError } from '@reform/config';
import type { UserAccounts } from '@reform/identity';
import type { CalendarStore, LedgerStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { DiagnosticJson, diagnosticsJson } from '@reform/procedures';
import { checkHolidayFile } from './holiday-files';
import { Caller, whoIs } from './plan-desk';

/** A year of the calendar as the console lists it. */
export interface HolidayYearSummary {
  year: number;
  source: string;
  holidays: Array<{ name: string; from: string; to: string }>;
  workdays: Array<{ name: string; date: string }>;
  /** When the office loaded it; null for a year shipped with the product and not loaded since. */
  loadedAt: string | null;
}

/** A due date a newly loaded calendar moved, in a running plan. */
export interface MovedDeadline {
  workflowId: string;
  key: string;
  from: string;
  to: string;
}

/** A holiday file with errors: the API answers 422 with every diagnostic; nothing was loaded. */
export class CalendarInvalidError extends UserError {
  constructor(readonly diagnostics: DiagnosticJson[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    super(first ? `节假日安排有 ${errors.length} 处错误,首处在 ${first.file}:${first.line}:${first.column}:${first.message}` : '节假日安排有错误');
  }
}

const summary = (y: HolidayYear, loadedAt: string | null): HolidayYearSummary => ({
  year: y.year,
  source: y.source,
  holidays: y.holidays.map((h) => ({ name: h.name, from: h.from, to: h.to })),
  workdays: y.workdays.map((w) => ({ name: w.name, date: w.date })),
  loadedAt,
});

export interface CalendarDeskDeps {
  accounts: UserAccounts;
  audit: AuditService;
  store: CalendarStore;
  /** Which plans are running (the ledger's open plans). */
  ledger: LedgerStore;
  /** Without it (no Temporal), a loaded year reaches running plans at the next `reform calendar load`. */
  plans?: PlanService;
}

/**
 * The holiday calendar for the reform office (the same use cases as `reform calendar
 * list|check|load`): the years in force, a file checked with positioned diagnostics, and loading
 * a year (the province's reform office: the calendar is everyone's), audited, then handed to
 * every running plan. A file with an error loads nothing.
 */
export class CalendarDesk {
  constructor(private readonly deps: CalendarDeskDeps) {}

  private async office(caller: Caller, province = false) {
    const who = await whoIs(this.deps.accounts, caller);
    if (who.unit.kind !== 'reform_office') throw new ForbiddenError(`节假日安排由改革办管理;${who.unit.name}是${who.unit.kindLabel},不能办理`);
    if (province && who.unit.region.level !== 'province') throw new ForbiddenError(`节假日安排由省级改革办载入;${who.unit.name}是${who.unit.region.levelLabel}${who.unit.kindLabel},不能载入`);
    return who;
  }

  /** The years in force: those shipped with the product and those the office loaded (a loaded year replaces the shipped one). */
  async years(caller: Caller): Promise<{ years: HolidayYearSummary[] }> {
    await this.office(caller);
    const loaded = new Map((await this.deps.store.loaded()).map((l) => [l.year, l.loadedAt]));
    const calendar = await this.deps.store.calendar();
    return { years: calendar.years.map((y) => summary(y, loaded.get(y.year) ?? null)) };
  }

  private checked(name: string, text: string): { year: HolidayYear; diagnostics: DiagnosticJson[] } {
    const { year, diagnostics } = checkHolidayFile(name, text);
    if (!year) throw new CalendarInvalidError(diagnosticsJson(diagnostics));
    return { year, diagnostics: diagnosticsJson(diagnostics) };
  }

  /** Checks a year's file: the year it defines and its warnings, or 422 with every diagnostic. Loads nothing. */
  async check(caller: Caller, name: string, text: string): Promise<{ ok: true; year: HolidayYearSummary; diagnostics: DiagnosticJson[] }> {
    await this.office(caller);
    const { year, diagnostics } = this.checked(name, text);
    return { ok: true, year: summary(year, null), diagnostics };
  }

  /** Checks and loads a year (audited), then hands the calendar to the running plans. */
  async load(caller: Caller, name: string, text: string): Promise<{ year: HolidayYearSummary; replaced: boolean; plansNotified: boolean; moved: MovedDeadline[] }> {
    const who = await this.office(caller, true);
    const { year } = this.checked(name, text);
    // The year and its audit row commit together: a load is never in force unaudited.
    const { replaced } = await this.deps.store.load(year, new Date(), (m, loaded) =>
      this.deps.audit.record(
        {
          action: 'calendar.loaded',
          actor: { userId: caller.principal.userId, name: who.name, unitId: who.unit.id },
          target: { type: 'calendar', id: String(year.year) },
          before: { replaced: loaded.replaced },
          after: { year: year.year, source: year.source, holidays: year.holidays.length, workdays: year.workdays.length, file: name },
          requestId: caller.requestId,
        },
        m,
      ),
    );
    // Every plan the ledger holds open (and plans registered from now on) gets the calendar as loaded now.
    const moved = this.deps.plans ? await this.deps.plans.refreshCalendar(await this.deps.store.calendar(), await this.deps.ledger.openPlanIds()) : [];
    const loadedAt = (await this.deps.store.loaded()).find((l) => l.year === year.year)?.loadedAt ?? null;
    return { year: summary(year, loadedAt), replaced, plansNotified: !!this.deps.plans, moved };
  }
}
