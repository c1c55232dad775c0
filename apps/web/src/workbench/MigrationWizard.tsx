import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Radio, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import { procedureVersionsQuery } from '../office/data';
import { chineseDate, chineseDateTime } from '../format';

type Migration = Schemas['RulesMigration'];
type Policy = 'keep' | 'recompute';

const POLICY: Record<Policy, string> = { keep: '保留原截止日期', recompute: '按新规则重算截止日期' };
const DEADLINE_CHANGE: Record<string, string> = { kept: '保留原日期', moved: '改期', added: '新增', withdrawn: '不再适用', unchanged: '不变' };

interface Props {
  open: boolean;
  onClose(): void;
  procedures: Array<{ id: string; title: string }>;
  /** The procedure the workbench has open. */
  procedure: string | undefined;
}

/** Moving running plans to a published version: choose the plans and the version, a dry run that changes nothing, then apply. */
export function MigrationWizard({ open, onClose, procedures, procedure: initial }: Props) {
  const [step, setStep] = useState(0);
  const [procedure, setProcedure] = useState<string | undefined>(initial);
  const [version, setVersion] = useState<number | undefined>();
  const [policy, setPolicy] = useState<Policy>('recompute');
  const [planId, setPlanId] = useState<string | undefined>();
  const [preview, setPreview] = useState<Migration | null>(null);
  const [result, setResult] = useState<Migration | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const versions = useQuery({ ...procedureVersionsQuery(procedure ?? ''), enabled: open && !!procedure });
  const plans = useQuery({
    queryKey: ['ledger', 'open-of', procedure],
    enabled: open && !!procedure,
    queryFn: async () => must(await api.GET('/api/plans', { params: { query: { procedure: procedure!, status: 'open', sort: 'title', direction: 'asc', limit: 100 } } })),
  });
  const latest = versions.data?.versions.reduce((m, v) => Math.max(m, v.version), 0);
  const target = version ?? latest;

  const reset = () => {
    setStep(0);
    setPreview(null);
    setResult(null);
    setFailure(null);
  };
  const run = async (apply: boolean) => {
    if (!procedure || !target) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = must(await api.POST('/api/rules/migrate', { body: { procedure, version: target, policy, apply, ...(planId ? { planId } : {}) } }));
      if (apply) {
        setResult(answer);
        setStep(2);
      } else {
        setPreview(answer);
        setStep(1);
      }
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.message : '迁移请求未完成');
    } finally {
      setBusy(false);
    }
  };

  const outcome = result ?? preview;
  return (
    <Modal
      open={open}
      title="方案迁移向导"
      width={1100}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      <Steps current={step} style={{ marginBottom: 24 }} items={[{ title: '选择方案与版本' }, { title: '预演(不改动方案)' }, { title: '执行迁移' }]} />
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      {step === 0 && (
        <Form layout="vertical" aria-label="迁移设置" onFinish={() => run(false)}>
          <Form.Item label="流程">
            <Select
              aria-label="流程"
              value={procedure}
              onChange={(v) => {
                setProcedure(v);
                setVersion(undefined);
                setPlanId(undefined);
              }}
              options={procedures.map((p) => ({ value: p.id, label: p.title }))}
            />
          </Form.Item>
          <Form.Item label="迁移到的版本">
            <Select
              aria-label="迁移到的版本"
              value={target}
              loading={versions.isLoading}
              onChange={setVersion}
              options={(versions.data?.versions ?? []).map((v) => ({ value: v.version, label: `第${v.version}版 · ${v.title} · ${chineseDateTime(v.publishedAt)}发布${v.version === latest ? '(最新)' : ''}` }))}
            />
          </Form.Item>
          <Form.Item label="截止日期">
            <Radio.Group value={policy} onChange={(e) => setPolicy(e.target.value as Policy)} options={(Object.keys(POLICY) as Policy[]).map((p) => ({ value: p, label: POLICY[p] }))} />
          </Form.Item>
          <Form.Item label="迁移哪些方案">
            <Select
              aria-label="迁移哪些方案"
              value={planId ?? ''}
              loading={plans.isLoading}
              onChange={(v) => setPlanId(v || undefined)}
              options={[{ value: '', label: '本单位可见的全部运行中的方案' }, ...(plans.data?.rows ?? []).map((r) => ({ value: r.planId, label: `${r.title}(第${r.procedure.version}版,${r.stage.label})` }))]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!procedure || !target}>
            预演
          </Button>
        </Form>
      )}
      {step > 0 && outcome && (
        <>
          <Typography.Paragraph>
            {result ? `已迁移 ${result.migrated} 个方案到「${result.procedure.title}」第${result.procedure.version}版(${POLICY[result.policy]})。` : `预演:${outcome.plans.length} 个方案可迁移到「${outcome.procedure.title}」第${outcome.procedure.version}版(${POLICY[outcome.policy]}),其中 ${outcome.refused} 个不能迁移。未改动任何方案。`}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="workflowId"
            pagination={false}
            dataSource={outcome.plans}
            aria-label={result ? '迁移结果' : '预演结果'}
            columns={[
              { title: '方案', dataIndex: 'title' },
              { title: '版本', render: (_, p) => `第${p.fromVersion}版 → 第${p.toVersion}版`, width: 150 },
              {
                title: '截止日期的变化',
                render: (_, p) => (
                  <Space direction="vertical" size={2}>
                    {p.deadlines
                      .filter((d) => d.change !== 'unchanged')
                      .map((d) => (
                        <span key={d.key}>
                          {d.label}:{DEADLINE_CHANGE[d.change]}
                          {d.before || d.after ? `(${chineseDate(d.before)} → ${chineseDate(d.after)})` : ''}
                        </span>
                      ))}
                    {p.deadlines.every((d) => d.change === 'unchanged') && <span>无变化</span>}
                  </Space>
                ),
              },
              { title: '不能迁移的原因', dataIndex: 'problems', render: (ps: string[]) => ps.join(';') || '—' },
              { title: '状态', width: 90, render: (_, p) => (p.migrated ? <Tag color="green">已迁移</Tag> : p.problems.length ? <Tag color="red">不能迁移</Tag> : <Tag>待迁移</Tag>) },
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            {!result && (
              <>
                <Button onClick={() => setStep(0)}>上一步</Button>
                <Button type="primary" danger loading={busy} disabled={outcome.plans.length === outcome.refused} onClick={() => run(true)}>
                  执行迁移
                </Button>
              </>
            )}
            {result && (
              <Button
                onClick={() => {
                  reset();
                  onClose();
                }}
              >
                完成
              </Button>
            )}
          </Space>
        </>
      )}
    </Modal>
  );
}
