import type { AuditService } from '@reform/audit';
import { localDateAt } from '@reform/calendar';
import { ConflictError, ForbiddenError, UserError } from '@reform/config';
import type { ProcessDefinition } from '@reform/definitions';
import type { UnitDirectory } from '@reform/identity';
import { DefinitionStore, isUniqueViolation, TaskListImportEntity, TaskListImportRow } from '@reform/persistence';
import { isPlanProcedure, type Unit } from '@reform/platform';
import type { PlanService } from '@reform/plans';
import type ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Caller, PlanDesk, RegisterPlan, RegisterPlanSchema } from './plan-desk';
import { cellDate, cellText, DEFAULT_IMPORT_MAX_BYTES, newWorkbook, readXlsxUpload, workbookBytes, XlsxFile, XlsxUpload, zhDate, ZH_DATE_FORMAT } from './xlsx';

/** The sheet a task list is filled in, and the one that explains it. */
export const TASK_SHEET = '任务清单';
export const NOTES_SHEET = '说明';
const OPTIONS_SHEET = '选项';

/** The most task rows one file may hold. */
export const TASK_LIST_MAX_ROWS = 2000;
/** How long an import that has not finished counts as still under way (after that, sending the file again resumes it). */
const RUNNING_IMPORT_MS = 10 * 60_000;
/** Rows of the template's sheet that carry the drop-down lists. */
const TEMPLATE_ROWS = 1000;

/** One column of the task list: the header a clerk sees, whether it must be filled, what goes in it. */
export interface TaskColumn {
  key: string;
  header: string;
  required: boolean;
  width: number;
  note: string;
  date?: boolean;
}

/** The columns every task list has; the dates of start events follow, one column per event the published procedures allow. */
const BASE_COLUMNS: TaskColumn[] = [
  { key: 'title', header: '方案名称', required: true, width: 40, note: '改革方案(任务)的名称,最长 200 字' },
  { key: 'procedure', header: '流程', required: true, width: 18, note: '已发布流程的名称,如「改革方案」;可从下拉列表中选' },
  { key: 'lead', header: '牵头单位', required: true, width: 28, note: '本级部门的全称,与单位名录一致;可从下拉列表中选' },
  { key: 'participants', header: '参与单位', required: false, width: 32, note: '单位全称;多个单位用顿号(、)、逗号或分号隔开' },
  { key: 'group', header: '所属专项小组', required: true, width: 28, note: '本级专项小组的全称,或其所管领域(如「经济体制改革」);可从下拉列表中选' },
  { key: 'leader', header: '责任领导', required: true, width: 14, note: '责任领导的姓名和职务(A4)' },
  { key: 'person', header: '责任人', required: true, width: 12, note: '责任人姓名(A4)' },
  { key: 'goals', header: '工作目标', required: false, width: 40, note: '量化、可考核的目标(A4、H4);多项分行写,或用分号隔开' },
  { key: 'attributes', header: '方案属性', required: false, width: 30, note: '所选流程声明的属性(见下方属性清单),多项用顿号隔开;决定须经的论证和审议' },
  { key: 'registeredOn', header: '登记日期', required: false, width: 16, date: true, note: '不填为导入当天;不能晚于今天。可填 Excel 日期,或写成 2026-03-01、2026年3月1日' },
];

/** A column's header as written in a file: spaces and a required mark (*, (必填)) do not count. */
const normalHeader = (text: string) => text.replace(/\s+/g, '').replace(/^[*＊]+|[*＊]+$/g, '').replace(/[(（]必填[)）]$/, '');

const splitList = (text: string) =>
  text
    .split(/[、,，;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One problem with one cell of the file: its row (as Excel numbers it) and column header. */
export interface TaskListIssue {
  row: number;
  column: string;
  message: string;
}

/**
 * The task list has errors: nothing was imported. `issues` lists every one, by row and column;
 * the API answers 422 with them.
 */
export class TaskListInvalidError extends UserError {
  constructor(readonly issues: TaskListIssue[]) {
    const first = issues[0];
    super(`任务清单有 ${issues.length} 处错误,未导入任何任务${first ? `;${issueText(first)}` : ''}${issues.length > 1 ? '(全部错误见 issues)' : ''}`);
  }
}

/** An issue as a clerk reads it: 第 7 行「牵头单位」:找不到单位“省发改委员会”. */
export function issueText(i: TaskListIssue): string {
  return i.row > 0 ? `第 ${i.row} 行「${i.column}」:${i.message}` : `「${i.column}」:${i.message}`;
}

/** What an import did: the plans of the file, each with its row; `repeated` when this user had imported this very file before (nothing was registered again). */
export interface TaskListImportResult {
  importId: string;
  repeated: boolean;
  /** Plans registered by this request (0 for a repeat). */
  registered: number;
  plans: Array<{ row: number; planId: string; title: string }>;
}

export interface TaskListDeskDeps {
  desk: PlanDesk;
  plans: PlanService;
  definitions: DefinitionStore;
  directory: UnitDirectory;
  audit: AuditService;
  db: DataSource;
  /** The largest file accepted (default 5 MB). */
  maxBytes?: number;
  /** "Today" (the server's clock; tests pass the test server's). */
  now?: () => number | Promise<number>;
}

/** A row read from the file and turned into a registration, before it is checked against the plan desk. */
interface ReadRow {
  row: number;
  body: RegisterPlan;
}

/**
 * The annual task list (年度改革任务清单, Y9): the reform office downloads a template, fills one
 * row per task, and imports it. Every row is checked first (unit names against the unit tree,
 * dates, the procedure and its attributes, and everything registration itself checks); one bad
 * cell and nothing is imported, every error listed by row and column. A good file registers
 * each plan through PlanDesk.register, as POST /api/plans does, the office registering for the
 * lead unit it names; the same file sent again by the same user registers nothing twice.
 */
export class TaskListDesk {
  constructor(private readonly deps: TaskListDeskDeps) {}

  get maxBytes(): number {
    return this.deps.maxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  }

  private async today(): Promise<string> {
    return localDateAt(await (this.deps.now ?? Date.now)());
  }

  /** The latest published version of every procedure a plan can be registered on (not the problem library's). */
  private async procedures(): Promise<ProcessDefinition[]> {
    const ids = [...new Set((await this.deps.definitions.list()).map((d) => d.procedureId))].filter(isPlanProcedure).sort();
    const out: ProcessDefinition[] = [];
    for (const id of ids) {
      const d = await this.deps.definitions.latest(id);
      if (d) out.push(d);
    }
    return out;
  }

  /** The columns of a task list: the base ones, then a date column for each start event the procedures allow. */
  private columns(procedures: ProcessDefinition[]): TaskColumn[] {
    const events = new Map<string, { label: string; procedures: string[] }>();
    for (const p of procedures) {
      for (const id of p.startEvents) {
        const label = p.events.find((e) => e.id === id)?.label ?? id;
        const e = events.get(id) ?? { label, procedures: [] };
        e.procedures.push(p.title);
        events.set(id, e);
      }
    }
    const eventColumns = [...events.entries()].map(([id, e]) => ({
      key: `event:${id}`,
      header: `${e.label}日期`,
      required: false,
      width: 18,
      date: true,
      note: `登记前已发生的「${e.label}」的日期,仅「${e.procedures.join('」「')}」流程可填;流程据此起算时限`,
    }));
    return [...BASE_COLUMNS, ...eventColumns];
  }

  /** The template: the task sheet with its headers and drop-down lists (procedures, the caller's level's departments and special groups), and the notes sheet. */
  async template(caller: Caller): Promise<XlsxFile> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const procedures = await this.procedures();
    const columns = this.columns(procedures);
    const units = await this.deps.directory.unitsOf(unit.region.id);
    const departments = units.filter((u) => u.kind === 'department').map((u) => u.name);
    const groups = units.filter((u) => u.kind === 'special_group');

    const wb = await newWorkbook(`${unit.region.name}年度改革任务清单`);
    const ws = wb.addWorksheet(TASK_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date ? { style: { numFmt: ZH_DATE_FORMAT } } : {}) }));
    const header = ws.getRow(1);
    header.height = 24;
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.alignment = { vertical: 'middle', horizontal: 'center' };
      cell.numFmt = 'General';
      cell.note = `${c.required ? '(必填)' : '(选填)'}${c.note}`;
    });

    // The lists the drop-downs offer, on a hidden sheet (a list written inline is limited to 255 characters).
    const options = wb.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });
    const lists: Array<[string, string[]]> = [
      ['procedure', procedures.map((p) => p.title)],
      ['lead', departments],
      ['group', groups.map((g) => g.name)],
    ];
    lists.forEach(([key, values], i) => {
      const col = i + 1;
      options.getCell(1, col).value = columns.find((c) => c.key === key)!.header;
      values.forEach((v, j) => (options.getCell(j + 2, col).value = v));
      if (!values.length) return;
      const letter = String.fromCharCode(64 + col);
      const target = ws.getColumn(key).letter;
      (ws as ExcelJS.Worksheet & { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${target}2:${target}${TEMPLATE_ROWS + 1}`, {
        type: 'list',
        // Other values may be typed too (a name from another list, a group's area): the import checks them all.
        allowBlank: true,
        showErrorMessage: false,
        formulae: [`${OPTIONS_SHEET}!$${letter}$2:$${letter}$${values.length + 1}`],
      });
    });

    const notes = wb.addWorksheet(NOTES_SHEET);
    notes.columns = [
      { header: '列名', width: 22 },
      { header: '是否必填', width: 10 },
      { header: '填写说明', width: 90 },
    ];
    notes.getRow(1).font = { bold: true };
    for (const c of columns) notes.addRow([c.header, c.required ? '必填' : '选填', c.note]);
    notes.addRow([]);
    notes.addRow(['填写要求', '', `每个任务一行,从「${TASK_SHEET}」表第 2 行起填写,不要改动第 1 行的列名。导入前逐行检查,有一处错误则整份清单都不导入,并列出每处错误的行号和列名。同一份文件重复导入不会重复登记。`]);
    notes.addRow(['单位范围', '', `牵头单位应为${unit.region.name}的部门,专项小组为${unit.region.name}的专项小组(由改革办代为登记)。`]);
    notes.addRow([]);
    notes.addRow(['流程', '', '可填的方案属性']).font = { bold: true };
    for (const p of procedures) notes.addRow([p.title, '', p.attributes.map((a) => a.label).join('、') || '(无)']);
    notes.addRow([]);
    notes.addRow(['本级单位', '', '类别']).font = { bold: true };
    for (const u of units.filter((x) => x.kind === 'department' || x.kind === 'special_group')) notes.addRow([u.name, '', u.kind === 'special_group' ? `专项小组(所管领域:${u.area ?? ''})` : u.kindLabel]);
    notes.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

    return { filename: `${unit.region.name}年度改革任务清单导入模板.xlsx`, body: await workbookBytes(wb) };
  }

  /**
   * Imports a task list. Only a reform office imports (403 otherwise, before the file is read);
   * a file that is not an .xlsx gets 415, one over the limit 413; a file with any bad cell 422
   * with every error. Registers each row's plan through PlanDesk.register and audits the import.
   */
  async import(caller: Caller, upload: XlsxUpload): Promise<TaskListImportResult> {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    if (unit.kind !== 'reform_office') throw new ForbiddenError(`年度改革任务清单由改革办导入;${unit.name}是${unit.kindLabel}`);
    const { bytes, workbook } = await readXlsxUpload(upload, this.maxBytes);
    const fileSha256 = createHash('sha256').update(bytes).digest('hex');
    const importId = createHash('sha256').update(`${caller.principal.userId}\n${fileSha256}`).digest('hex');
    const repo = this.deps.db.getRepository(TaskListImportEntity);
    const earlier = await repo.findOneBy({ id: importId });
    if (earlier?.status === 'done') return { importId, repeated: true, registered: 0, plans: JSON.parse(earlier.plans) as TaskListImportResult['plans'] };
    // The same import still under way in another request (sent twice at once): it registers the
    // plans. One cut short long ago (a crash) is resumed below.
    if (earlier && Date.now() - Date.parse(earlier.createdAt) < RUNNING_IMPORT_MS) throw new ConflictError('同一份任务清单正在导入中,请稍后查看台账,或稍后再导入一次');

    const rows = await this.check(caller, unit, workbook, importId);

    const plans: TaskListImportResult['plans'] = earlier ? (JSON.parse(earlier.plans) as TaskListImportResult['plans']) : [];
    if (!earlier) {
      const row: TaskListImportRow = {
        id: importId,
        userId: caller.principal.userId,
        unitId: unit.id,
        fileSha256,
        filename: upload.filename?.trim().slice(0, 255) || null,
        rowCount: rows.length,
        plans: '[]',
        status: 'running',
        createdAt: new Date().toISOString(),
        finishedAt: null,
        requestId: caller.requestId ?? null,
      };
      try {
        await repo.insert(row);
      } catch (e) {
        // The same import, sent twice at once: the other one registers the plans.
        if (isUniqueViolation(e)) throw new ConflictError('同一份任务清单正在导入中,请稍后查看台账,或稍后再导入一次');
        throw e;
      }
    }
    let registered = 0;
    for (const r of rows) {
      const planId = r.body.id!;
      if (plans.some((p) => p.planId === planId)) continue;
      // An import cut short after starting this row's plan but before noting it: the plan is there (its id is this import's).
      const started = earlier ? await this.deps.plans.whyUsed(planId) : undefined;
      if (!started) {
        await this.deps.desk.register(caller, r.body);
        registered++;
      }
      plans.push({ row: r.row, planId, title: r.body.title });
      await repo.update({ id: importId }, { plans: JSON.stringify(plans) });
    }
    await repo.update({ id: importId }, { status: 'done', finishedAt: new Date().toISOString() });
    await this.deps.audit.record({
      action: 'task_list.imported',
      actor: { userId: caller.principal.userId, name, unitId: unit.id },
      target: { type: 'task_list_import', id: importId },
      before: null,
      after: { fileSha256, filename: upload.filename ?? null, rows: rows.length, registered, planIds: plans.map((p) => p.planId) },
      requestId: caller.requestId,
    });
    return { importId, repeated: false, registered, plans };
  }

  /** Reads and checks every row; throws TaskListInvalidError with every issue, or answers the registrations. */
  private async check(caller: Caller, unit: Unit, workbook: ExcelJS.Workbook, importId: string): Promise<ReadRow[]> {
    const procedures = await this.procedures();
    const columns = this.columns(procedures);
    const ws = workbook.getWorksheet(TASK_SHEET) ?? workbook.worksheets.find((w) => w.name !== NOTES_SHEET && w.name !== OPTIONS_SHEET && w.state === 'visible');
    if (!ws) throw new TaskListInvalidError([{ row: 0, column: TASK_SHEET, message: `工作簿中没有「${TASK_SHEET}」表` }]);

    // Columns by their header in row 1; other columns (序号, 备注 …) are left alone.
    const at = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => {
      const h = normalHeader(cellText(cell.value));
      const c = columns.find((x) => x.header === h);
      if (c && !at.has(c.key)) at.set(c.key, col);
    });
    const missing = columns.filter((c) => c.required && !at.has(c.key));
    if (missing.length) throw new TaskListInvalidError(missing.map((c) => ({ row: 1, column: c.header, message: `缺少此列;请使用导入模板,第 1 行为列名` })));

    const issues: TaskListIssue[] = [];
    const cells: Array<{ row: number; get: (key: string) => ExcelJS.CellValue }> = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const get = (key: string) => (at.has(key) ? row.getCell(at.get(key)!).value : null);
      if (columns.every((c) => cellText(get(c.key)) === '')) continue;
      cells.push({ row: r, get });
    }
    if (!cells.length) throw new TaskListInvalidError([{ row: 0, column: TASK_SHEET, message: `表中没有任务:请从第 2 行起每个任务填一行` }]);
    if (cells.length > TASK_LIST_MAX_ROWS) throw new TaskListInvalidError([{ row: 0, column: TASK_SHEET, message: `任务行过多(${cells.length} 行):一份清单最多 ${TASK_LIST_MAX_ROWS} 行,请分成几份导入` }]);

    const units = await this.deps.directory.units();
    const byName = new Map<string, Unit[]>();
    for (const u of units) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
    // A name may be used by units of different regions: the caller's own level first.
    const named = (n: string) => (byName.get(n) ?? []).sort((a, b) => Number(b.region.id === unit.region.id) - Number(a.region.id === unit.region.id))[0];
    const today = await this.today();
    const header = (key: string) => columns.find((c) => c.key === key)!.header;

    const read: ReadRow[] = [];
    for (const { row, get } of cells) {
      const bad = (key: string, message: string) => issues.push({ row, column: header(key), message });
      const before = issues.length;
      const text = (key: string) => cellText(get(key));
      for (const c of columns) if (c.required && !text(c.key)) bad(c.key, '须填写');

      const procText = text('procedure');
      const procedure = procText ? procedures.find((p) => p.title === procText || p.id === procText) : undefined;
      if (procText && !procedure) bad('procedure', `找不到已发布的流程“${procText}”;可填:${procedures.map((p) => p.title).join('、')}`);

      const leadName = text('lead');
      const lead = leadName ? named(leadName) : undefined;
      if (leadName && !lead) bad('lead', `找不到单位“${leadName}”`);

      const participating: string[] = [];
      for (const n of splitList(text('participants'))) {
        const u = named(n);
        if (!u) bad('participants', `找不到单位“${n}”`);
        else participating.push(u.id);
      }

      const groupText = text('group');
      let group: Unit | undefined;
      if (groupText) {
        const level = (lead ?? unit).region.id;
        group =
          (byName.get(groupText) ?? []).filter((u) => u.kind === 'special_group').sort((a, b) => Number(b.region.id === level) - Number(a.region.id === level))[0] ??
          units.find((u) => u.kind === 'special_group' && u.area === groupText && u.region.id === level);
        if (!group) bad('group', `找不到专项小组“${groupText}”(按专项小组全称或所管领域)`);
      }

      const attributes: Record<string, boolean> = {};
      for (const a of splitList(text('attributes'))) {
        if (!procedure) break;
        const found = procedure.attributes.find((x) => x.label === a || x.id === a);
        if (!found) bad('attributes', `流程「${procedure.title}」没有属性“${a}”;可填:${procedure.attributes.map((x) => x.label).join('、') || '(无)'}`);
        else attributes[found.id] = true;
      }

      // Dates of what has happened: none may lie ahead.
      const dateOf = (key: string): string | undefined => {
        const value = get(key);
        if (cellText(value) === '') return undefined;
        const d = cellDate(value);
        if (!d) bad(key, `日期“${cellText(value).slice(0, 40)}”无法识别;请填 Excel 日期,或写成 2026-03-01、2026年3月1日`);
        else if (d > today) bad(key, `${zhDate(d)}晚于今天(${zhDate(today)}),只能填已发生的日期`);
        return d;
      };
      const registeredOn = dateOf('registeredOn');
      const startEvents: Record<string, string> = {};
      for (const c of columns.filter((x) => x.key.startsWith('event:'))) {
        const d = dateOf(c.key);
        if (!d) continue;
        const eventId = c.key.slice('event:'.length);
        if (procedure && !procedure.startEvents.includes(eventId)) bad(c.key, `流程「${procedure.title}」登记时不能填此日期`);
        else startEvents[eventId] = d;
      }
      if (issues.length > before || !procedure || !lead || !group) continue;

      const goals = text('goals')
        .split(/[;；\n]+/)
        .map((g) => g.trim())
        .filter(Boolean);
      const body: RegisterPlan = {
        procedure: procedure.id,
        id: `${procedure.id}-t${importId.slice(0, 12)}-${row}`,
        title: text('title'),
        leadUnitId: lead.id,
        specialGroupId: group.id,
        participatingUnitIds: participating,
        responsibleLeader: text('leader'),
        responsiblePerson: text('person'),
        goals,
        attributes,
        ...(registeredOn ? { registeredOn } : {}),
        startEvents,
      };
      const FIELD_COLUMN: Record<string, string> = {
        title: 'title',
        procedure: 'procedure',
        leadUnitId: 'lead',
        specialGroupId: 'group',
        participatingUnitIds: 'participants',
        responsibleLeader: 'leader',
        responsiblePerson: 'person',
        goals: 'goals',
        attributes: 'attributes',
        registeredOn: 'registeredOn',
        startEvents: 'registeredOn',
        plan: 'title',
        id: 'title',
        workflowId: 'title',
      };
      const columnOf = (path: string) => header(FIELD_COLUMN[path.split('.')[0]] ?? 'title');
      // The registration's own schema, then everything registering would refuse (PlanDesk's check, the engine's).
      const parsed = RegisterPlanSchema.safeParse(body);
      if (!parsed.success) {
        for (const i of parsed.error.issues) issues.push({ row, column: columnOf(String(i.path[0] ?? 'title')), message: i.message });
        continue;
      }
      try {
        const checked = await this.deps.desk.checkRegistration(caller, body);
        for (const i of [...checked.issues, ...checked.engineIssues]) issues.push({ row, column: columnOf(i.path), message: i.message });
      } catch (e) {
        if (!(e instanceof ForbiddenError)) throw e;
        issues.push({ row, column: header('lead'), message: e.message });
        continue;
      }
      read.push({ row, body });
    }
    if (issues.length) {
      const order = (c: string) => columns.findIndex((x) => x.header === c);
      throw new TaskListInvalidError(issues.sort((a, b) => a.row - b.row || order(a.column) - order(b.column)));
    }
    return read;
  }
}
