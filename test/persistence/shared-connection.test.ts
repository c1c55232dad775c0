import { DefinitionStore, LetterStore } from '@reform/persistence';
import { standardProcedures } from '@reform/procedures';
import { DB_KINDS, testDatabase, TestDatabase } from '../support/db';
import { letterRequest, OFFICE } from './letter-fixtures';

// Several stores on one data source, as in a worker, and several publishers at start-up.
describe.each(DB_KINDS)('stores sharing one connection (%s)', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await testDatabase(kind);
  });
  afterEach(() => db.drop());

  it('two letter stores issuing at the same moment both succeed with distinct numbers', async () => {
    const [a, b] = [new LetterStore(db.ds), new LetterStore(db.ds)];
    const issued = await Promise.all([a.issue(letterRequest('k-a'), OFFICE), b.issue(letterRequest('k-b'), OFFICE), a.issue(letterRequest('k-b'), OFFICE)]);
    expect(new Set(issued.map((i) => i.number)).size).toBe(2);
    expect(issued.filter((i) => i.created)).toHaveLength(2);
    expect((await a.all()).map((l) => l.serial)).toEqual([1, 2]);
  });

  it('publishing the same definition at the same moment gives published once, unchanged otherwise', async () => {
    const [plan] = standardProcedures();
    const results = await Promise.all([new DefinitionStore(db.ds).publish(plan), new DefinitionStore(db.ds).publish(plan), new DefinitionStore(db.ds).publish(plan)]);
    expect(results.sort()).toEqual(['published', 'unchanged', 'unchanged']);
    expect(await new DefinitionStore(db.ds).list()).toHaveLength(1);
  });
});
