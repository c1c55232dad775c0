import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Modal, Select, Space, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import { proceduresQuery } from '../office/data';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import type { ApiDiagnostic } from '../workbench/diagnostics';
import { DiagnosticsPanel } from '../workbench/DiagnosticsPanel';
import { diffView } from '../workbench/diff-view';
import { MergeDiff } from '../workbench/MergeDiff';
import { MigrationWizard } from '../workbench/MigrationWizard';
import { RulesEditor, type RulesEditorHandle } from '../workbench/RulesEditor';
import { SimulationTable } from '../workbench/SimulationTable';
import { useDebouncedCheck, type CheckAnswer } from '../workbench/debounced-check';

interface RulesFile {
  name: string;
  text: string;
}

type Panel = 'check' | 'diff' | 'explain' | 'simulate';

/** Unpublished edits of a procedure's files, kept as a draft (drafts.ts) so that a session that ends, or a reload, loses none. */
interface WorkbenchDraft {
  /** The published version the edits start from: a draft of an older one is not restored. */
  version: number;
  files: RulesFile[];
}
/** The procedure open last, and each procedure's edits. */
const LAST = 'workbench';
const draftOf = (procedure: string) => `workbench.${procedure}`;

/** An error answer's Chinese message, and its diagnostics when the rules have errors (422). */
function failureOf(e: unknown): { message: string; diagnostics?: ApiDiagnostic[] } {
  if (e instanceof ApiFailure) return { message: e.body.message, diagnostics: e.body.diagnostics };
  return { message: '请求未完成,请稍后再试' };
}

async function check(files: RulesFile[]): Promise<CheckAnswer> {
  // One procedure's files of the whole ruleset: a role only other procedures use is no warning here.
  const res = await api.POST('/api/rules/check', { body: { files, partial: true } });
  if (res.data) return { ok: true, diagnostics: res.data.diagnostics };
  const body = (res.error as { error?: Schemas['Error']['error'] } | undefined)?.error;
  if (res.response.status === 422 && body?.diagnostics) return { ok: false, diagnostics: body.diagnostics };
  return { failure: body?.message ?? `检查未完成(${res.response.status})` };
}

/**
 * 规则工作台 (the reform office): the published rules of a procedure in a CodeMirror editor with
 * highlighting and the checker's diagnostics as you type; format, explain in Chinese, the diff
 * against what is published, a simulation over every live plan, publish with confirmation, and the
 * migration wizard. Everything is the API's (the same code as `reform rules …`).
 */
export function WorkbenchPage() {
  const { message } = AntApp.useApp();
  const queries = useQueryClient();
  const procedures = useQuery(proceduresQuery);
  const [procedure, setProcedure] = useState<string | undefined>();
  const [files, setFiles] = useState<RulesFile[]>([]);
  const [published, setPublished] = useState<Record<string, string>>({});
  const [publishedVersion, setPublishedVersion] = useState<number | null>(null);
  const [active, setActive] = useState<string | undefined>();
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>('check');
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [diff, setDiff] = useState<Schemas['ProcedureDiffs'] | null>(null);
  const [explanation, setExplanation] = useState<Schemas['RulesExplanation'] | null>(null);
  const [simulation, setSimulation] = useState<Schemas['RulesSimulation'] | null>(null);
  const [confirming, setConfirming] = useState<Schemas['ProcedureDiffs'] | null>(null);
  const [migrating, setMigrating] = useState(false);
  const editor = useRef<RulesEditorHandle>(null);

  const list = useMemo(() => procedures.data?.procedures ?? [], [procedures.data]);
  const [restored, setRestored] = useState(false);
  /** The procedure whose files the editor holds (the choice changes before its files arrive). */
  const [loadedFor, setLoadedFor] = useState<string | undefined>();
  useEffect(() => {
    if (procedure || !list.length) return;
    const last = loadDraft<{ procedure: string }>(LAST);
    setProcedure(list.find((p) => p.id === last.procedure)?.id ?? list.find((p) => p.id === 'reform_plan')?.id ?? list[0].id);
  }, [list, procedure]);

  // The files of the procedure's latest published version, when the procedure is chosen.
  useEffect(() => {
    const p = list.find((x) => x.id === procedure);
    if (!p) return;
    let cancelled = false;
    (async () => {
      setLoadFailure(null);
      try {
        const text = must(await api.GET('/api/procedures/{id}/versions/{version}/text', { params: { path: { id: p.id, version: String(p.latestVersion) } } }));
        if (cancelled) return;
        const draft = loadDraft<WorkbenchDraft>(draftOf(p.id));
        const same = (fs: RulesFile[] | undefined) => !!fs && fs.map((f) => f.name).join('\n') === text.files.map((f) => f.name).join('\n');
        const restore = draft.version === text.version && same(draft.files);
        saveDraft(LAST, { procedure: p.id });
        setLoadedFor(p.id);
        setRestored(restore);
        setFiles(restore ? draft.files! : text.files);
        setPublished(Object.fromEntries(text.files.map((f) => [f.name, f.text])));
        setPublishedVersion(text.version);
        setActive(text.files[text.files.length - 1]?.name);
        setDiff(null);
        setExplanation(null);
        setSimulation(null);
        setPanel('check');
      } catch (e) {
        if (!cancelled) setLoadFailure(failureOf(e).message);
      }
    })();
    return () => {
      cancelled = true;
    };
    // Only a newly chosen procedure reloads the text (publishing keeps what is being edited).
  }, [procedure, list.length]);

  const checked = useDebouncedCheck(files, check);
  const current = files.find((f) => f.name === active);
  const fileNames = files.map((f) => f.name);
  const edit = useCallback((name: string, text: string) => setFiles((fs) => fs.map((f) => (f.name === name ? { ...f, text } : f))), []);
  const changed = files.some((f) => published[f.name] !== f.text);
  // The edits, kept while they differ from what is published.
  useEffect(() => {
    if (!loadedFor || publishedVersion === null || !files.length) return;
    if (changed) saveDraft(draftOf(loadedFor), { version: publishedVersion, files } satisfies WorkbenchDraft);
    else clearDraft(draftOf(loadedFor));
  }, [files, changed, loadedFor, publishedVersion]);
  const title = list.find((p) => p.id === procedure)?.title ?? '';

  /** Runs one of the workbench's requests; a refusal shows its message, and its diagnostics go to the panel. */
  async function run<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    setBusy(what);
    setFailure(null);
    try {
      return await request();
    } catch (e) {
      const f = failureOf(e);
      setFailure(f.message);
      if (f.diagnostics) setPanel('check');
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  const format = async () => {
    const answer = await run('format', async () => must(await api.POST('/api/rules/format', { body: { files } })));
    if (!answer) return;
    setFiles(answer.files.map(({ name, text }) => ({ name, text })));
    const n = answer.files.filter((f) => f.changed).length;
    message.success(n ? `已排版 ${n} 个文件` : '格式无需调整');
  };
  const explain = async () => {
    const answer = await run('explain', async () => must(await api.POST('/api/rules/explain', { body: { files } })));
    if (answer) {
      setExplanation(answer);
      setPanel('explain');
    }
  };
  const compare = async () => {
    const answer = await run('diff', async () => must(await api.POST('/api/rules/diff', { body: { files } })));
    if (answer) {
      setDiff(answer);
      setPanel('diff');
    }
  };
  const simulate = async () => {
    const answer = await run('simulate', async () => must(await api.POST('/api/rules/simulate', { body: { files } })));
    if (answer) {
      setSimulation(answer);
      setPanel('simulate');
    }
  };
  const askPublish = async () => {
    const answer = await run('publish', async () => must(await api.POST('/api/rules/diff', { body: { files } })));
    if (answer) setConfirming(answer);
  };
  const publish = async () => {
    const answer = await run('publish', async () => must(await api.POST('/api/rules/publish', { body: { files } })));
    setConfirming(null);
    if (!answer) return;
    const done = answer.procedures.map((p) => `「${p.title}」${p.status === 'published' ? `第${p.version}版已发布` : `与第${p.version}版相同,未发布新版本`}`).join(';');
    message.success(done);
    setPublished(Object.fromEntries(files.map((f) => [f.name, f.text])));
    setRestored(false);
    if (loadedFor) clearDraft(draftOf(loadedFor));
    const mine = answer.procedures.find((p) => p.id === procedure);
    if (mine) setPublishedVersion(mine.version);
    setDiff(null);
    await queries.invalidateQueries({ queryKey: ['procedures'] });
    await queries.invalidateQueries({ queryKey: ['procedure-versions'] });
  };

  const hasErrors = checked.ok === false;
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>规则工作台</Typography.Title>}
      extra={
        <Space>
          <span>流程</span>
          <Select aria-label="流程" style={{ width: 260 }} value={procedure} loading={procedures.isLoading} onChange={setProcedure} options={list.map((p) => ({ value: p.id, label: `${p.title}(已发布至第${p.latestVersion}版)` }))} />
        </Space>
      }
    >
      {loadFailure && <Alert type="error" showIcon title={loadFailure} style={{ marginBottom: 12 }} />}
      {!files.length && !loadFailure && <Empty description="正在读取已发布的规则…" />}
      {files.length > 0 && (
        <>
          {restored && changed && <Alert type="info" showIcon title="已恢复上次未发布的修改" style={{ marginBottom: 12 }} />}
          <Typography.Paragraph type="secondary">
            正在编辑「{title}」第{publishedVersion}版发布时的规则文件{changed ? '(已修改,尚未发布)' : ''}。改动在发布前不影响任何方案;输入时自动检查。
          </Typography.Paragraph>
          <Space wrap style={{ marginBottom: 12 }}>
            <Button onClick={format} loading={busy === 'format'}>
              排版
            </Button>
            <Button onClick={explain} loading={busy === 'explain'} disabled={hasErrors}>
              中文说明
            </Button>
            <Button onClick={compare} loading={busy === 'diff'} disabled={hasErrors}>
              与已发布版本比较
            </Button>
            <Button onClick={simulate} loading={busy === 'simulate'} disabled={hasErrors}>
              模拟运行中的方案
            </Button>
            <Button type="primary" onClick={askPublish} loading={busy === 'publish'} disabled={hasErrors || !changed}>
              发布…
            </Button>
            <Button onClick={() => setMigrating(true)}>方案迁移向导…</Button>
          </Space>
          {failure && <Alert type="error" showIcon closable title={failure} onClose={() => setFailure(null)} style={{ marginBottom: 12 }} />}
          <Tabs activeKey={active} onChange={setActive} items={files.map((f) => ({ key: f.name, label: `${f.name}${published[f.name] !== f.text ? ' ●' : ''}` }))} />
          {current && (
            <RulesEditor
              ref={editor}
              file={current.name}
              docKey={`${procedure}/${current.name}`}
              kind="rules"
              label={`规则文件 ${current.name}`}
              value={current.text}
              onChange={(text) => edit(current.name, text)}
              diagnostics={checked.diagnostics}
              checkedText={checked.texts ? (checked.texts[current.name] ?? null) : null}
            />
          )}
          <Tabs
            style={{ marginTop: 12 }}
            activeKey={panel}
            onChange={(k) => setPanel(k as Panel)}
            items={[
              {
                key: 'check',
                label: '检查结果',
                children: (
                  <DiagnosticsPanel
                    diagnostics={checked.diagnostics}
                    fileOrder={fileNames}
                    checking={checked.checking}
                    failure={checked.failure}
                    onPick={(row) => {
                      if (row.file !== active) setActive(row.file);
                      setTimeout(() => editor.current?.goTo(row.line, row.column), 0);
                    }}
                  />
                ),
              },
              {
                key: 'diff',
                label: '与已发布版本的差异',
                children: diff ? (
                  <section aria-label="与已发布版本的差异">
                    {diff.procedures.map((p) => {
                      const view = diffView(p);
                      return (
                        <div key={p.id} style={{ marginBottom: 12 }}>
                          <Typography.Text strong>{view.heading}</Typography.Text>
                          {view.changes.length > 0 && <pre style={{ background: '#fafafa', padding: 8, margin: '4px 0', whiteSpace: 'pre-wrap' }}>{view.changes.join('\n')}</pre>}
                        </div>
                      );
                    })}
                    {current && published[current.name] !== undefined && <MergeDiff published={published[current.name]} current={current.text} />}
                  </section>
                ) : (
                  <Empty description="点击「与已发布版本比较」查看" />
                ),
              },
              {
                key: 'explain',
                label: '中文说明',
                children: explanation ? (
                  <section aria-label="中文说明">
                    {explanation.procedures.map((p) => (
                      <div key={p.id}>
                        <Typography.Text strong>
                          「{p.title}」第{p.version}版
                        </Typography.Text>
                        {/* The text's first line repeats the title with the procedure's id: the heading above says it in Chinese. */}
                        <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', background: '#fafafa', padding: 12 }}>{p.text.split('\n').slice(1).join('\n').trim()}</pre>
                      </div>
                    ))}
                  </section>
                ) : (
                  <Empty description="点击「中文说明」查看规则会让系统做什么" />
                ),
              },
              {
                key: 'simulate',
                label: '模拟结果',
                children: simulation ? <SimulationTable simulation={simulation} /> : <Empty description="点击「模拟运行中的方案」查看哪些函件会改期" />,
              },
            ]}
          />
        </>
      )}
      <Modal
        open={!!confirming}
        title="确认发布"
        okText="确认发布"
        cancelText="取消"
        confirmLoading={busy === 'publish'}
        onOk={publish}
        onCancel={() => setConfirming(null)}
      >
        <Typography.Paragraph>发布后,新登记的方案按新版本办理;运行中的方案仍按原版本,可用「方案迁移向导」迁移。</Typography.Paragraph>
        {confirming?.procedures.map((p) => {
          const view = diffView(p);
          return (
            <div key={p.id}>
              <Typography.Text strong>{view.heading}</Typography.Text>
              <pre style={{ whiteSpace: 'pre-wrap', background: '#fafafa', padding: 8 }}>{view.changes.join('\n') || '与已发布版本含义相同,不会发布新版本'}</pre>
            </div>
          );
        })}
      </Modal>
      <MigrationWizard key={`${procedure}:${migrating}`} open={migrating} onClose={() => setMigrating(false)} procedures={list} procedure={procedure} />
    </Card>
  );
}

export default WorkbenchPage;
