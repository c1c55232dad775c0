import { Diagnostic } from '../diagnostics';
import * as A from '../syntax/ast';

/** A parsed file of a ruleset. */
export interface SourceFile {
  name: string;
  text: string;
  ast: A.RulesFile;
}

export interface Located<T> {
  file: string;
  decl: T;
}

/**
 * What one procedure sees: its own declarations and the shared ones (files without a 程序
 * line: the roles, attributes, events and letter ladders common to every procedure).
 */
export interface ProcedureScope {
  file: string;
  header: A.ProcedureDecl;
  roles: Located<A.RoleDecl>[];
  attributes: Located<A.AttributeDecl>[];
  events: Located<A.EventDecl>[];
  ladders: Located<A.LadderDecl>[];
  templates: Located<A.TemplateDecl>[];
  /** Its own 亮灯 thresholds (issue 9 §4); the shared ones apply where it has none of a kind. */
  lights: Located<A.LightDecl>[];
  stages: A.StageDecl[];
  deadlines: A.DeadlineDecl[];
}

export interface Ruleset {
  shared: {
    roles: Located<A.RoleDecl>[];
    attributes: Located<A.AttributeDecl>[];
    events: Located<A.EventDecl>[];
    ladders: Located<A.LadderDecl>[];
    templates: Located<A.TemplateDecl>[];
    lights: Located<A.LightDecl>[];
  };
  procedures: ProcedureScope[];
  /** Assessment schemes (考核细则), from any file: they belong to no procedure. */
  schemes: Located<A.SchemeDecl>[];
}

/**
 * Where checks send what they find. A hint that costs a search (did you mean …?) comes as a
 * function: it is worked out only if the diagnostic is among those shown, past the cap it is not.
 */
export type Report = (d: Diagnostic, hint?: () => string | undefined) => void;

export const error = (file: string, node: A.Node, code: string, message: string, hint?: string): Diagnostic => ({
  severity: 'error',
  code,
  message,
  range: node.range,
  file,
  ...(hint ? { hint } : {}),
});

export const warning = (file: string, node: A.Node, code: string, message: string, hint?: string): Diagnostic => ({
  ...error(file, node, code, message, hint),
  severity: 'warning',
});

/** Groups the files' declarations into procedures and what they share. */
export function buildRuleset(files: SourceFile[], report: Report): Ruleset {
  const shared: Ruleset['shared'] = { roles: [], attributes: [], events: [], ladders: [], templates: [], lights: [] };
  const procedures: ProcedureScope[] = [];
  const schemes: Located<A.SchemeDecl>[] = [];
  for (const f of files) {
    const headers = f.ast.declarations.filter((d): d is A.ProcedureDecl => d.kind === 'procedure');
    for (const extra of headers.slice(1)) {
      report(error(f.name, extra, 'two-procedures', '一个文件只能写一个程序', '把第二个程序放到单独的文件中'));
    }
    const header = headers[0];
    const own = header
      ? { file: f.name, header, roles: [], attributes: [], events: [], ladders: [], templates: [], lights: [], stages: [], deadlines: [] } as ProcedureScope
      : undefined;
    if (own) procedures.push(own);
    for (const d of f.ast.declarations) {
      const target = own ?? shared;
      switch (d.kind) {
        case 'role':
          target.roles.push({ file: f.name, decl: d });
          break;
        case 'attribute':
          target.attributes.push({ file: f.name, decl: d });
          break;
        case 'event':
          target.events.push({ file: f.name, decl: d });
          break;
        case 'ladder':
          target.ladders.push({ file: f.name, decl: d });
          break;
        case 'template':
          target.templates.push({ file: f.name, decl: d });
          break;
        case 'light':
          target.lights.push({ file: f.name, decl: d });
          break;
        case 'stage':
        case 'deadline':
          if (!own) report(error(f.name, d, 'outside-procedure', `${d.kind === 'stage' ? '阶段' : '时限'}须写在某个程序的文件中`, '在文件开头写「程序 标识 "名称"」'));
          else if (d.kind === 'stage') own.stages.push(d);
          else own.deadlines.push(d);
          break;
        case 'scheme':
          schemes.push({ file: f.name, decl: d });
          break;
        case 'procedure':
          break;
      }
    }
  }
  return { shared, procedures, schemes };
}
