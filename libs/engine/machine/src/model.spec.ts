/**
 * Model-based tests of the machines built from the standard procedures: a breadth-first search
 * over xstate's pure `transition`, with events generated from each definition's actions.
 */
import { Action, Attributes, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { initialTransition, SnapshotFrom, transition } from 'xstate';
import { buildMachine, ProcessMachine } from './build-machine';
import { ActionEvent } from './context';
import { blockersFor } from './explain';

const CENTRAL_INTEGRATION = standardProcedure('central_integration');
const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

type Snapshot = SnapshotFrom<ProcessMachine>;
const DAY = '2026-03-02';

const ITEM = { id: 'item_1', title: '具体改革事项一', status: 'completed' as const };

/** The event a clerk would send for an action: first permitted role, a reason and an item where needed. */
const eventFor = (a: Action): ActionEvent => ({
  type: a.id,
  role: a.roles[0],
  businessDate: DAY,
  recordedOn: DAY,
  reason: a.needsReason ? `退回理由:${a.id}` : undefined,
  item: a.item ? ITEM : undefined,
});

/** Abstract state: stage, stage statuses, which events are recorded, items. The log and returns only grow. */
const keyOf = (s: Snapshot) => JSON.stringify([s.value, s.context.stages, Object.keys(s.context.events).sort(), s.context.items]);
const changed = (a: Snapshot, b: Snapshot) => a.value !== b.value || JSON.stringify(a.context) !== JSON.stringify(b.context);

interface Edge {
  event: ActionEvent;
  from: string;
  to: string;
  after: Snapshot;
}

interface Graph {
  def: ProcessDefinition;
  machine: ProcessMachine;
  initial: string;
  nodes: Map<string, Snapshot>;
  edges: Edge[];
  /** BFS tree: how each node was first reached. */
  parent: Map<string, Edge>;
}

function explore(def: ProcessDefinition, attributes: Attributes): Graph {
  const machine = buildMachine(def);
  const events = Object.fromEntries(['registered', ...def.startEvents].map((e) => [e, '2026-01-05']));
  const [init] = initialTransition(machine, { attributes, events });
  const initial = keyOf(init);
  const nodes = new Map([[initial, init]]);
  const edges: Edge[] = [];
  const parent = new Map<string, Edge>();
  const queue = [initial];
  while (queue.length) {
    const from = queue.shift()!;
    const s = nodes.get(from)!;
    const stage = def.stages.find((st) => st.id === s.value)!;
    for (const action of stage.actions) {
      const event = eventFor(action);
      const [after] = transition(machine, s, event);
      if (!changed(s, after)) continue;
      const to = keyOf(after);
      const edge = { event, from, to, after };
      edges.push(edge);
      if (!nodes.has(to)) {
        nodes.set(to, after);
        parent.set(to, edge);
        queue.push(to);
      }
    }
    expect(nodes.size).toBeLessThan(2000);
  }
  return { def, machine, initial, nodes, edges, parent };
}

const isFinal = (g: Graph, key: string) => g.nodes.get(key)!.status === 'done';

/** The shortest event sequence from the initial state to a final state (BFS order). */
function shortestToFinal(g: Graph): Edge[] {
  const finals = [...g.nodes.keys()].filter((k) => isFinal(g, k));
  expect(finals.length).toBeGreaterThan(0);
  // Nodes are inserted in BFS order, so the first final one is nearest.
  const path: Edge[] = [];
  for (let k = finals[0]; k !== g.initial; k = g.parent.get(k)!.from) path.unshift(g.parent.get(k)!);
  return path;
}

/** Nodes from which no final state can be reached. */
function deadEnds(g: Graph): string[] {
  const reaches = new Set([...g.nodes.keys()].filter((k) => isFinal(g, k)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of g.edges) {
      if (reaches.has(e.to) && !reaches.has(e.from)) {
        reaches.add(e.from);
        grew = true;
      }
    }
  }
  return [...g.nodes.keys()].filter((k) => !reaches.has(k));
}

const dedupe = (xs: string[]) => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
const stagesOf = (g: Graph, path: Edge[]) => dedupe([String(g.nodes.get(g.initial)!.value), ...path.map((e) => String(e.after.value))]);

const COMBOS: Array<[string, Attributes]> = [
  ['none', {}],
  ['major', { major: true }],
  ['party_document+major', { party_document: true, major: true }],
  ['government_duties', { government_duties: true }],
  ['government_duties+major+party_document', { government_duties: true, major: true, party_document: true }],
  ['cross_department+affects_public+technical+stability_risk', { cross_department: true, affects_public: true, technical: true, stability_risk: true }],
  ['central_plan', { central_plan: true }],
];

const has = (a: Attributes, id: string) => a[id] === true;
const CONSULTATION: Array<[string, string]> = [
  ['department_coordination', 'cross_department'],
  ['public_consultation', 'affects_public'],
  ['expert_consultation', 'technical'],
  ['stability_assessment', 'stability_risk'],
];

/** The stages a plan passes through, written out from the brief (A5–A9, S1, S2). */
function expectedStages(procedure: string, a: Attributes): string[] {
  if (procedure === 'pilot') return ['running', 'summary', 'final_evaluation', 'closed'];
  const toLeadingGroup = procedure === 'central_integration' || ['major', 'central_plan', 'pilot', 'party_document'].some((x) => has(a, x));
  const deliberation = [
    ...(toLeadingGroup ? ['reform_office_review'] : []),
    ...(has(a, 'government_duties') ? ['executive_meeting'] : []),
    ...(toLeadingGroup ? ['leading_group_meeting'] : []),
    ...(toLeadingGroup && has(a, 'party_document') ? ['standing_committee'] : []),
    ...(!toLeadingGroup && !has(a, 'government_duties') ? ['other_deliberation'] : []),
  ];
  const tail = procedure === 'central_integration' ? ['closed'] : ['implementation', 'write_off', 'closed'];
  return [
    'drafting',
    'research',
    ...CONSULTATION.filter(([, attr]) => has(a, attr)).map(([s]) => s),
    'special_group_review',
    'legality_review',
    ...deliberation,
    'issuance',
    'filing',
    ...tail,
  ];
}

const PROCEDURES = [REFORM_PLAN, PILOT, CENTRAL_INTEGRATION].map((d) => ProcessDefinitionSchema.parse(d));

describe.each(PROCEDURES.map((d): [string, ProcessDefinition] => [d.id, d]))('%s', (procedure, def) => {
  describe.each(COMBOS)('with attributes %s', (_name, attributes) => {
    let graph: Graph;
    beforeAll(() => {
      graph = explore(def, attributes);
    });

    it('has no dead ends: every reachable state can still reach a final state', () => {
      expect(graph.nodes.size).toBeGreaterThan(3);
      expect(deadEnds(graph)).toEqual([]);
    });

    it('reaches the final state on the shortest path, through exactly the expected stages', () => {
      const path = shortestToFinal(graph);
      const stages = stagesOf(graph, path);
      expect(stages).toEqual(expectedStages(procedure, attributes));
      const last = path[path.length - 1].after;
      expect(last.status).toBe('done');
      // Every stage before the final one was completed if passed through, else skipped as not applying.
      // The standing committee's approval jumps straight to issuance over other_deliberation, which
      // is then not marked at all today (reported); it must at least never count as completed.
      const jumpedOver = stages.includes('standing_committee') ? ['other_deliberation'] : [];
      const { [jumpedOver[0] ?? '']: jumped, ...marked } = last.context.stages;
      expect(jumpedOver.length ? marked : last.context.stages).toEqual(
        Object.fromEntries(
          def.stages
            .filter((s) => !s.final && !jumpedOver.includes(s.id))
            .map((s) => [s.id, stages.includes(s.id) ? 'completed' : 'skipped']),
        ),
      );
      expect([undefined, 'skipped']).toContain(jumped);
      // One event per stage, plus the item and the retrospective before write-off.
      expect(path.length).toBe(stages.length - 1 + (procedure === 'reform_plan' ? 2 : 0));
      expect(last.context.log.map((l) => l.action)).toEqual(path.map((e) => e.event.type));
    });

    it('rests only in stages that apply to the plan', () => {
      const resting = new Set([...graph.nodes.values()].map((s) => String(s.value)));
      const notApplying = def.stages.filter((s) => s.when && !expectedStages(procedure, attributes).includes(s.id)).map((s) => s.id);
      expect(notApplying.filter((s) => resting.has(s))).toEqual([]);
      expect([...resting].sort()).toEqual([...expectedStages(procedure, attributes)].sort());
    });

    it('never issues a plan before legality review is completed (A8)', () => {
      if (procedure === 'pilot') {
        expect(def.stages.some((s) => s.id === 'issuance')).toBe(false);
        return;
      }
      const issuedOrLater = [...graph.nodes.values()].filter((s) => ['issuance', 'filing', 'implementation', 'write_off', 'closed'].includes(String(s.value)));
      expect(issuedOrLater.length).toBeGreaterThan(0);
      expect(issuedOrLater.filter((s) => s.context.stages.legality_review !== 'completed')).toEqual([]);
    });

    it('sends every rejection back to drafting, keeping the reason and reopening every stage', () => {
      const backToDrafting = graph.edges.filter((e) => def.stages.some((s) => s.actions.some((a) => a.id === e.event.type && a.to === 'drafting')));
      if (procedure === 'pilot') {
        expect(backToDrafting).toEqual([]);
        return;
      }
      expect(backToDrafting.length).toBeGreaterThanOrEqual(2);
      for (const e of backToDrafting) {
        expect(e.after.value).toBe('drafting');
        expect(e.after.context.stages).toEqual({});
        const before = graph.nodes.get(e.from)!;
        expect(e.after.context.returns).toEqual([
          ...before.context.returns,
          { stage: String(before.value), action: e.event.type, role: e.event.role, actor: undefined, businessDate: DAY, recordedOn: DAY, reason: e.event.reason },
        ]);
        // Recorded business events are kept across the loop.
        expect(e.after.context.events).toEqual(before.context.events);
      }
    });

    it('agrees with blockersFor in every reachable state, for every action and role', () => {
      const disagreements: string[] = [];
      const others = def.stages.flatMap((s) => s.actions);
      for (const s of graph.nodes.values()) {
        const stage = def.stages.find((st) => st.id === s.value)!;
        const probes: ActionEvent[] = [
          ...stage.actions.flatMap((a) => def.roles.flatMap((r) => [{ ...eventFor(a), role: r.id }, { ...eventFor(a), role: r.id, reason: undefined, item: undefined }])),
          ...others.map(eventFor),
        ];
        for (const event of probes) {
          const [after] = transition(graph.machine, s, event);
          const blockers = blockersFor(def, { stage: String(s.value), context: s.context }, event);
          if (changed(s, after) !== (blockers.length === 0)) disagreements.push(`${String(s.value)} ${event.type}/${event.role}: ${JSON.stringify(blockers)}`);
        }
      }
      expect(disagreements).toEqual([]);
    });
  });
});

describe('reform plan paths (A9)', () => {
  const def = PROCEDURES[0];
  const path = (a: Attributes) => stagesOf(explore(def, a), shortestToFinal(explore(def, a)));
  const after = (stages: string[], x: string) => stages[stages.indexOf(x) + 1];

  it('a party document goes to the standing committee right after the leading group meeting', () => {
    const stages = path({ party_document: true, major: true });
    expect(after(stages, 'leading_group_meeting')).toBe('standing_committee');
    expect(after(stages, 'standing_committee')).toBe('issuance');
    // A party document goes to the leading group even when not marked major.
    expect(after(path({ party_document: true }), 'leading_group_meeting')).toBe('standing_committee');
  });

  it('in no reachable state is a party document issued without the standing committee', () => {
    const g = explore(def, { party_document: true, major: true });
    const issuing = [...g.nodes.values()].filter((s) => s.value === 'issuance');
    expect(issuing.length).toBeGreaterThan(0);
    expect(issuing.map((s) => [s.context.stages.leading_group_meeting, s.context.stages.standing_committee])).toEqual(
      issuing.map(() => ['completed', 'completed']),
    );
    expect(issuing.filter((s) => s.context.stages.other_deliberation === 'completed')).toEqual([]);
  });

  it('government duties: the executive meeting comes before the leading group meeting when major, and other deliberation is skipped', () => {
    const stages = path({ government_duties: true, major: true });
    expect(stages.indexOf('executive_meeting')).toBeGreaterThan(-1);
    expect(stages.indexOf('executive_meeting')).toBeLessThan(stages.indexOf('leading_group_meeting'));
    expect(stages).not.toContain('other_deliberation');
    const g = explore(def, { government_duties: true, major: true });
    const atLeadingGroup = [...g.nodes.values()].filter((s) => s.value === 'leading_group_meeting');
    expect(atLeadingGroup.length).toBeGreaterThan(0);
    expect(atLeadingGroup.every((s) => s.context.stages.executive_meeting === 'completed')).toBe(true);
  });

  it('government duties without major: executive meeting then straight to issuance', () => {
    const stages = path({ government_duties: true });
    expect(stages.slice(stages.indexOf('legality_review'), stages.indexOf('issuance') + 1)).toEqual(['legality_review', 'executive_meeting', 'issuance']);
    const g = explore(def, { government_duties: true });
    const issuing = [...g.nodes.values()].filter((s) => s.value === 'issuance');
    expect(issuing.every((s) => s.context.stages.other_deliberation === 'skipped' && s.context.stages.leading_group_meeting === 'skipped')).toBe(true);
  });

  it.each([
    ['none', {}],
    ['consultation only', { cross_department: true, affects_public: true, technical: true, stability_risk: true }],
  ])('a non-major plan without government duties (%s) goes through other deliberation and never to the leading group', (_n, attributes: Attributes) => {
    const g = explore(def, attributes);
    const resting = new Set([...g.nodes.values()].map((s) => String(s.value)));
    expect(resting.has('other_deliberation')).toBe(true);
    for (const never of ['leading_group_meeting', 'reform_office_review', 'executive_meeting', 'standing_committee']) expect(resting.has(never)).toBe(false);
    expect(path(attributes)).toContain('other_deliberation');
  });

  it('a rejection returns to drafting, keeps the reason, and legality review must be passed again', () => {
    const machine = buildMachine(def);
    const ev = (type: string, role: string, reason?: string): ActionEvent => ({ type, role, businessDate: DAY, recordedOn: '2026-03-03', reason });
    let [s] = initialTransition(machine, { attributes: { major: true }, events: { registered: '2026-01-05' } });
    for (const [type, role] of [
      ['submit_draft', 'lead_unit'],
      ['complete_research', 'lead_unit'],
      ['pass_special_group_review', 'special_group'],
      ['pass_legality_review', 'legal_office'],
    ]) {
      [s] = transition(machine, s, ev(type, role));
    }
    expect(s.value).toBe('reform_office_review');
    expect(s.context.stages).toEqual({
      drafting: 'completed',
      research: 'completed',
      department_coordination: 'skipped',
      public_consultation: 'skipped',
      expert_consultation: 'skipped',
      stability_assessment: 'skipped',
      special_group_review: 'completed',
      legality_review: 'completed',
    });

    [s] = transition(machine, s, ev('reject_reform_office_review', 'reform_office', '改革举措缺乏突破性'));
    expect(s.value).toBe('drafting');
    expect(s.context.stages).toEqual({});
    expect(s.context.returns).toEqual([
      { stage: 'reform_office_review', action: 'reject_reform_office_review', role: 'reform_office', actor: undefined, businessDate: DAY, recordedOn: '2026-03-03', reason: '改革举措缺乏突破性' },
    ]);
    expect(s.context.events).toEqual({ registered: '2026-01-05', draft_submitted: DAY, research_done: DAY });

    for (const [type, role] of [
      ['submit_draft', 'lead_unit'],
      ['complete_research', 'lead_unit'],
      ['pass_special_group_review', 'special_group'],
    ]) {
      [s] = transition(machine, s, ev(type, role));
    }
    // Back at legality review: it is not remembered as passed.
    expect(s.value).toBe('legality_review');
    expect(s.context.stages.legality_review).toBeUndefined();
    const skip = ev('pass_reform_office_review', 'reform_office');
    expect(blockersFor(def, { stage: String(s.value), context: s.context }, skip).map((b) => b.code)).toEqual(['wrong_stage']);
    const [unchanged] = transition(machine, s, skip);
    expect(unchanged.value).toBe('legality_review');
    // The first reason is still there after the loop.
    expect(s.context.returns.map((r) => r.reason)).toEqual(['改革举措缺乏突破性']);
    expect(s.context.log.map((l) => l.action)).toEqual([
      'submit_draft',
      'complete_research',
      'pass_special_group_review',
      'pass_legality_review',
      'reject_reform_office_review',
      'submit_draft',
      'complete_research',
      'pass_special_group_review',
    ]);
  });

  it('a refused write-off goes back to implementation and only reopens implementation and write-off', () => {
    const g = explore(def, {});
    const refusals = g.edges.filter((e) => e.event.type === 'reject_write_off');
    expect(refusals.length).toBeGreaterThan(0);
    for (const e of refusals) {
      expect(e.after.value).toBe('implementation');
      expect(e.after.context.stages.filing).toBe('completed');
      expect(e.after.context.stages.legality_review).toBe('completed');
      expect(e.after.context.stages.implementation).toBeUndefined();
      expect(e.after.context.returns.at(-1)?.reason).toBe('退回理由:reject_write_off');
    }
  });
});

describe('pilot paths (A16, S5)', () => {
  it('continuing the pilot returns to running and it can end again; each outcome closes it', () => {
    const def = PROCEDURES[1];
    const g = explore(def, {});
    const outcomes = g.edges.filter((e) => e.event.type.startsWith('evaluate_'));
    expect(new Set(outcomes.map((e) => `${e.event.type}->${String(e.after.value)}`))).toEqual(
      new Set(['evaluate_completed->closed', 'evaluate_continue->running', 'evaluate_stopped->closed', 'evaluate_promoted->closed']),
    );
    for (const e of outcomes) expect(e.after.context.events.final_evaluated).toBe(DAY);
  });
});
