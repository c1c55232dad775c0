import { GRID } from '@reform/letters';

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;
export const mm = (n: number) => n * PT_PER_MM;
/** Twentieths of a point (Word's unit), rounded. */
export const twips = (pt: number) => Math.round(pt * 20);

/**
 * GB/T 9704-2012 5.2: A4 paper (210 × 297 mm); the type area 156 × 225 mm, 37 mm from the top
 * and 28 mm from the left edge (so 26 mm right and 35 mm bottom margins).
 */
export const PAGE = {
  width: mm(210),
  height: mm(297),
  top: mm(37),
  left: mm(28),
  right: mm(26),
  bottom: mm(35),
  typeWidth: mm(156),
  typeHeight: mm(225),
} as const;

/** 三号 = 16 pt (body), 二号 = 22 pt (title), 四号 = 14 pt (page numbers). */
export const SIZE = { body: 16, title: 22, mark: 22, pageNumber: 14 } as const;

/** The grid: 28 characters of 15.79 pt on a 156 mm line, 22 lines of 28.99 pt in 225 mm. */
export const PITCH = {
  char: PAGE.typeWidth / GRID.charsPerLine,
  line: PAGE.typeHeight / GRID.linesPerPage,
} as const;

/** Red of the office name and rules. */
export const RED = '#C00000';
