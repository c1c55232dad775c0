import { fromEpochDay, LocalDate, toEpochDay } from './local-date';

/**
 * China keeps UTC+8 all year (no daylight saving since 1991), so Asia/Shanghai
 * is a fixed offset and needs no time-zone database inside workflow code.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The instant (epoch ms) at which the local date begins in Asia/Shanghai. */
export function startOfLocalDay(date: LocalDate): number {
  return startOfEpochDay(toEpochDay(date));
}

/** startOfLocalDay of a day number (days since 1970-01-01). */
export function startOfEpochDay(epochDay: number): number {
  return epochDay * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** A due date lasts to the end of that day: the instant the next local day begins. */
export function endOfLocalDay(date: LocalDate): number {
  return startOfEpochDay(toEpochDay(date) + 1);
}

/** The local date in Asia/Shanghai at an instant. */
export function localDateAt(epochMs: number): LocalDate {
  return fromEpochDay(Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS));
}

/** '2026-03-01 00:00': an instant in local time, for people. */
export function formatLocalDateTime(epochMs: number): string {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
