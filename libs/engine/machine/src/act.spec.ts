import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { initialTransition, transition } from 'xstate';
import { takeAction } from './act';
import { buildMachine } from './build-machine';
import { ActionEvent } from './context';
import { applyEvent } from './deadlines';

const REFORM_PLAN = standardProcedure('reform_plan');

const DEF = ProcessDefinitionSchema.parse(REFORM_PLAN);
const DAY = '2026-03-10';
const ev = (type: string, role: string): ActionEvent => ({ type, role, businessDate: DAY, recordedOn: DAY });

/** A reform plan at issuance (A9): issuing records `issued`, which opens the filing deadline. */
function atIssuance() {
  const machine = buildMachine(DEF);
  let [s] = initialTransition(machine, { attributes: {}, events: { registered: '2026-03-01' } });
  for (const [type, role] of [
    ['submit_draft', 'lead_unit'],
    ['complete_research', 'lead_unit'],
    ['pass_special_group_review', 'special_group'],
    ['pass_legality_review', 'legal_office'],
    ['approve_countersign', 'special_group'],
  ]) {
    [s] = transition(machine, s, ev(type, role));
  }
  expect(s.value).toBe('issuance');
  return { machine, s, deadlines: applyEvent(DEF, SHIPPED_HOLIDAYS, [], {}, 'registered', '2026-03-01') };
}

describe('takeAction', () => {
  it('records the events of an action the machine takes, opening the deadlines that count from them', () => {
    const { machine, s, deadlines } = atIssuance();
    const taken = takeAction(DEF, SHIPPED_HOLIDAYS, machine, s, deadlines, ev('issue', 'lead_unit'))!;
    expect(taken.snapshot.value).toBe('filing');
    expect(taken.recorded).toEqual([{ event: 'issued', date: DAY }]);
    expect(taken.deadlines.find((d) => d.key === 'filing#0')).toMatchObject({ status: 'open', anchor: DAY });
  });

  it('records nothing for an action the machine does not take (a role that may not issue)', () => {
    const { machine, s, deadlines } = atIssuance();
    expect(takeAction(DEF, SHIPPED_HOLIDAYS, machine, s, deadlines, ev('issue', 'legal_office'))).toBeUndefined();
  });

  it('for histories before act-only-if-taken, applies the records anyway, as that code did', () => {
    const { machine, s, deadlines } = atIssuance();
    const old = takeAction(DEF, SHIPPED_HOLIDAYS, machine, s, deadlines, ev('issue', 'legal_office'), { evenIfIgnored: true })!;
    expect(old.snapshot.value).toBe('issuance');
    expect(old.recorded).toEqual([{ event: 'issued', date: DAY }]);
  });
});
