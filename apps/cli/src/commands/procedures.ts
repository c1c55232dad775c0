import { DefinitionStore } from '@reform/persistence';
import { withDatabase } from '../context';

export async function proceduresList(): Promise<number> {
  return withDatabase(async (db) => {
    const store = new DefinitionStore(db);
    for (const p of await store.list()) {
      const def = (await store.get(p.procedureId, p.version))!;
      console.log(`${p.procedureId} 第${p.version}版  ${p.title}  (${p.publishedAt.slice(0, 10)} 发布)`);
      console.log(`    属性:${def.attributes.map((a) => `${a.id}(${a.label})`).join('、') || '无'}`);
      console.log(`    角色:${def.roles.map((r) => `${r.id}(${r.label})`).join('、')}`);
    }
    return 0;
  });
}
