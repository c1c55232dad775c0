import { Initial1732240000000 } from './1732240000000-initial';
import { HolidayYears1732250000000 } from './1732250000000-holiday-years';
import { Identity1764500000000 } from './1764500000000-identity';
import { AuditLog1764510000000 } from './1764510000000-audit-log';
import { Ledger1764520000000 } from './1764520000000-ledger';
import { LoginFailures1764530000000 } from './1764530000000-login-failures';
import { Items1764540000000 } from './1764540000000-items';
import { ProcedureSources1764550000000 } from './1764550000000-procedure-sources';
import { PlanActAudits1764560000000 } from './1764560000000-plan-act-audits';
import { LedgerSortCollation1764570000000 } from './1764570000000-ledger-sort-collation';
import { LetterRecipients1764580000000 } from './1764580000000-letter-recipients';
import { Hardening1764590000000 } from './1764590000000-hardening';
import { TaskListImports1764600000000 } from './1764600000000-task-list-imports';
import { Problems1764620000000 } from './1764620000000-problems';
import { SupervisionRounds1764630000000 } from './1764630000000-supervision-rounds';
import { Assessments1764650000000 } from './1764650000000-assessments';
import { DeliberationSchedule1764660000000 } from './1764660000000-deliberation-schedule';
import { DeskLedger1764670000000 } from './1764670000000-desk-ledger';
import { ProblemHandovers1764690000000 } from './1764690000000-problem-handovers';
import { LedgerViews1764700000000 } from './1764700000000-ledger-views';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [Initial1732240000000, HolidayYears1732250000000, Identity1764500000000, AuditLog1764510000000, Ledger1764520000000, LoginFailures1764530000000, Items1764540000000, ProcedureSources1764550000000, PlanActAudits1764560000000, LedgerSortCollation1764570000000, LetterRecipients1764580000000, Hardening1764590000000, TaskListImports1764600000000, Problems1764620000000, SupervisionRounds1764630000000, Assessments1764650000000, DeliberationSchedule1764660000000, DeskLedger1764670000000, ProblemHandovers1764690000000, LedgerViews1764700000000];
