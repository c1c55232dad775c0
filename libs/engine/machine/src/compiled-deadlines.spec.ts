import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import fc from 'fast-check';
import { compiledDeadlines } from './compiled-deadlines';
import { changed, DeadlineState, OccurrenceChange } from './deadlines';

const DEF = ProcessDefinitionSchema.parse(standardProcedure('reform_plan'));
const utc = (iso: string) => Date.parse(iso);

/** An open filing occurrence (A9: file within a month of issuance) due on Monday 2 March 2026. */
const filing: DeadlineState = {
  key: 'filing#0',
  deadlineId: 'filing',
  label: '方案备案',
  occurrence: 0,
  anchor: '2026-02-02',
  due: '2026-03-02',
  shift: { from: '2026-02-02', duration: { amount: 1, unit: 'months' }, direction: 'after', result: '2026-03-02', days: [], missingYears: [] },
  status: 'open',
  nextLevel: 0,
  skippedLevels: [],
  letters: [],
};

describe('compiledDeadlines: the engine evaluator, compiled once per definition', () => {
  it('is compiled once per definition object and again for another object', () => {
    const first = compiledDeadlines(DEF);
    expect(compiledDeadlines(DEF)).toBe(first);
    const copy = { ...DEF, deadlines: DEF.deadlines.map((d) => ({ ...d })) };
    expect(compiledDeadlines(copy)).not.toBe(first);
    expect(compiledDeadlines(copy).byId.get('filing')!.deadline).toBe(copy.deadlines.find((d) => d.id === 'filing'));
  });

  it('indexes the deadlines by the event they count from (reform_plan: six count from issuance, one from the central plan)', () => {
    const { byFromEvent } = compiledDeadlines(DEF);
    expect(byFromEvent.get('issued')!.map((c) => c.deadline.id)).toEqual([
      'filing',
      'half_year_report',
      'retrospective',
      'midyear_supervision',
      'annual_supervision',
      'monthly_supervision',
    ]);
    expect(byFromEvent.get('central_plan_issued')!.map((c) => c.deadline.id)).toEqual(['central_integration']);
    expect(byFromEvent.get('filed')).toBeUndefined();
  });

  it('compiles `when`: central integration (S1) applies only to plans for a central plan', () => {
    const c = compiledDeadlines(DEF).byId.get('central_integration')!;
    expect(c.applies({})).toBe(false);
    expect(c.applies({ central_plan: true })).toBe(true);
    expect(compiledDeadlines(DEF).byId.get('filing')!.applies({})).toBe(true);
  });

  it('compiles the filing ladder (Y9, A13): reminder 5 working days before, supervision when due ends, naming when its 10 working days end', () => {
    const [reminder, supervision, naming, interview] = compiledDeadlines(DEF).byId.get('filing')!.levels;
    expect([reminder.kind, supervision.kind, naming.kind, interview.kind]).toEqual(['reminder', 'supervision', 'public_naming', 'interview']);
    // Before Monday 2 March 2026: Sat 28 Feb (a make-up working day), Fri 27, Thu 26, Wed 25, Tue 24.
    expect(reminder.step(filing, SHIPPED_HOLIDAYS)).toEqual({ deadline: filing, level: 0, at: utc('2026-02-23T16:00:00Z'), staleFrom: utc('2026-03-02T16:00:00Z') });
    expect(reminder.limit).toBeUndefined();
    const atSupervision = { ...filing, nextLevel: 1 };
    expect(supervision.step(atSupervision, SHIPPED_HOLIDAYS)).toEqual({ deadline: atSupervision, level: 1, at: utc('2026-03-02T16:00:00Z') });
    // Issued Tuesday 3 March: 10 working days are 4–6, 9–13 and 16–17 March.
    expect(supervision.limit!('2026-03-03', SHIPPED_HOLIDAYS)).toBe('2026-03-17');
    const sent = { ...filing, nextLevel: 2, letters: [{ level: 1, kind: 'supervision' as const, letterId: 'L1', number: '1', issuedOn: '2026-03-03', limitUntil: '2026-03-17' }] };
    expect(naming.step(sent, SHIPPED_HOLIDAYS)).toEqual({ deadline: sent, level: 2, at: utc('2026-03-17T16:00:00Z') });
  });
});

describe('changed', () => {
  const letters = fc.array(fc.record({ level: fc.nat(3), kind: fc.constant('reminder' as const), letterId: fc.string(), number: fc.string(), issuedOn: fc.constant('2026-03-03') }), { maxLength: 2 });
  const failed = fc.array(fc.record({ level: fc.nat(3), kind: fc.constant('supervision' as const), failedOn: fc.constant('2026-03-04'), reason: fc.string() }), { maxLength: 2 });
  const state = fc.record(
    { status: fc.constantFrom('open' as const, 'met' as const, 'cancelled' as const), metOn: fc.constant('2026-03-05'), nextLevel: fc.nat(4), skippedLevels: fc.array(fc.nat(3)), letters, failedLetters: failed },
    { requiredKeys: ['status', 'nextLevel', 'skippedLevels', 'letters'] },
  );
  const change: fc.Arbitrary<OccurrenceChange> = fc.record(
    { status: fc.constantFrom('open' as const, 'met' as const, 'cancelled' as const), metOn: fc.constant('2026-03-06'), nextLevel: fc.nat(4), skippedLevels: fc.array(fc.nat(3)), letters, failedLetters: failed },
    { requiredKeys: [] },
  );

  it('gives what a spread gives, for every state and change', () => {
    fc.assert(
      fc.property(state, change, (fields, c) => {
        const s: DeadlineState = { ...filing, ...fields };
        expect(changed(s, c)).toEqual({ ...s, ...c });
        // The state it was given is left as it was.
        expect(s).toEqual({ ...filing, ...fields });
      }),
    );
  });
});
