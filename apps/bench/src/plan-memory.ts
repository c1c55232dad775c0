import { buildMachine } from '@reform/machine';
import { initialTransition } from 'xstate';
import { reformPlan, walkInput } from './workload';

/**
 * What a cached plan keeps of its own, outside the sandbox: the heap taken by the parts the
 * workflow holds for its whole life (its start input's definition and calendar, the machine built
 * from the definition, a snapshot), each made `--copies` times and measured after a full GC.
 * The rest of a cached plan's memory is the SDK's (a bare workflow: bench:engine's bare-live) and
 * the workflow's own copies of the bundle's modules. A measurement, not a test.
 *
 *     node --expose-gc -r tsx/cjs apps/bench/src/plan-memory.ts
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('需要 node --expose-gc');
  process.exit(1);
}
const copies = 300;
const raw = JSON.stringify(walkInput(reformPlan()));
const input = JSON.parse(raw) as { definition: unknown; calendar: unknown };
console.log(`start input ${raw.length} bytes of JSON: definition ${JSON.stringify(input.definition).length}, calendar ${JSON.stringify(input.calendar).length}`);

function measure(label: string, make: () => unknown): void {
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  for (let i = 0; i < copies; i++) kept.push(make());
  gc!();
  gc!();
  const after = process.memoryUsage().heapUsed;
  console.log(`${label.padEnd(44)} ${((after - before) / copies / 1024).toFixed(1)} KiB each (${kept.length} kept)`);
}

const def = reformPlan();
const machine = buildMachine(def);
measure('start input, parsed', () => JSON.parse(raw));
measure('definition, parsed', () => (JSON.parse(raw) as typeof input).definition);
measure('calendar, parsed', () => (JSON.parse(raw) as typeof input).calendar);
measure('machine (buildMachine of one shared definition)', () => buildMachine(def));
measure('definition and its machine', () => {
  const d = (JSON.parse(raw) as { definition: typeof def }).definition;
  return [d, buildMachine(d)];
});
measure('initial snapshot', () => initialTransition(machine, { attributes: {}, events: { registered: '2026-01-01' } })[0]);
