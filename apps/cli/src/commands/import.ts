import { UserError } from '@reform/config';
import { issueText, TaskListDesk, TaskListInvalidError } from '@reform/desk';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SignIn, withDesk } from '../session';

/**
 * `reform import task-list <file.xlsx>`: the annual task list imported as the signed-in user,
 * through the same TaskListDesk as POST /api/imports/task-list (a reform office's user; every
 * row checked first, nothing imported unless all pass, a repeated file registers nothing twice).
 */
export async function importTaskList(file: string, o: SignIn & { json?: boolean }): Promise<number> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`「${file}」不是文件`);
    bytes = await readFile(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`读不到文件「${file}」:请检查路径`);
  }
  return withDesk(o, async (desk, caller, plans, s) => {
    const taskList = new TaskListDesk({ desk, plans, definitions: s.definitions, directory: s.directory, audit: s.audit, db: s.db });
    try {
      const result = await taskList.import(caller, { filename: basename(file), declaredLength: bytes.length, body: bytes });
      if (o.json) console.log(JSON.stringify(result, null, 2));
      else if (result.repeated) console.log(`该文件此前已由本账号导入(共 ${result.plans.length} 项),本次未重复登记。`);
      else console.log(`已导入 ${result.plans.length} 项任务,新登记 ${result.registered} 个方案:`);
      if (!o.json) for (const p of result.plans) console.log(`  第 ${p.row} 行  ${p.planId}  ${p.title}`);
      return 0;
    } catch (e) {
      if (!(e instanceof TaskListInvalidError)) throw e;
      console.error(`任务清单有 ${e.issues.length} 处错误,未导入任何任务:`);
      for (const i of e.issues) console.error(`  ${issueText(i)}`);
      return 1;
    }
  });
}
