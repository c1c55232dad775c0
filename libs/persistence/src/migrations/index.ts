import { Initial1732240000000 } from './1732240000000-initial';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [Initial1732240000000];
