import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, Row, Select, Skeleton, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiFailure, must, type ApiErrorBody, type Schemas } from '../api/client';
import { Refusal } from '../components/Refusal';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { chineseDate, chineseDateTime, DEADLINE_STATUS } from '../format';
import { downloadLetter, downloadProblemEvidence, uploadProblemEvidence, useMe, usePlans, useProblemEvidence, useUnitNames } from '../office/data';
import { actionFields, AGAINST_LABEL, historyTone, historyWho, letterKindLabel, libraryLabel, PROBLEM_STATUS } from '../office/problems';
import { planHref } from '../route';
import { fileSize } from '../evidence';

type Detail = Schemas['ProblemDetail'];
type Evidence = Schemas['Evidence'];

/**
 * A problem: what it is against and who rectifies it, its history, the actions the engine offers
 * the caller now (移交整改, 报送整改情况, 验收销号, 退回整改, 留号, 提交上一级问题库 …), evidence
 * upload, and the letters it produced (整改意见书 and what follows) as .docx and .pdf.
 */
export function ProblemPage({ problemId }: { problemId: string }) {
  const me = useMe();
  const names = useUnitNames();
  const plans = usePlans();
  const evidence = useProblemEvidence(problemId);
  const detail = useQuery({
    queryKey: ['problem', problemId],
    // Just handed over: the engine writes the 整改意见书 a moment later.
    refetchInterval: (q) => (q.state.data?.status === 'rectifying' && q.state.data.letters.length === 0 ? 1500 : false),
    queryFn: async () => must(await api.GET('/api/problems/{id}', { params: { path: { id: problemId } } })),
  });
  if (detail.isLoading) return <Skeleton active />;
  if (detail.error || !detail.data) {
    return <Alert type="error" showIcon title={detail.error instanceof ApiFailure ? detail.error.message : '问题读取失败'} action={<a href="#/problems">返回问题库</a>} />;
  }
  const d = detail.data;
  const planTitle = d.against.planId ? (plans.data?.find((p) => p.planId === d.against.planId)?.title ?? '查看方案') : null;
  const actions = d.engine?.actions ?? [];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {d.number} <Tag color={PROBLEM_STATUS[d.status].color}>{d.statusLabel}</Tag>
        </Typography.Title>
        <Typography.Paragraph>{d.description}</Typography.Paragraph>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="针对">
            {AGAINST_LABEL[d.against.type]}
            {d.against.planId && (
              <>
                :<a href={planHref(d.against.planId)}>{planTitle}</a>
              </>
            )}
            {d.against.itemId && ` 第${d.against.itemId}项`}
          </Descriptions.Item>
          <Descriptions.Item label="整改单位">{names.get(d.against.unitId) ?? '其他单位'}</Descriptions.Item>
          <Descriptions.Item label="当前阶段">{d.engine?.stage.label ?? d.statusLabel}</Descriptions.Item>
          <Descriptions.Item label="发现日期">{chineseDate(d.foundOn)}</Descriptions.Item>
          <Descriptions.Item label="挂号时间">{chineseDateTime(d.registeredAt)}</Descriptions.Item>
          <Descriptions.Item label="整改期限">{chineseDate(d.limitDate)}</Descriptions.Item>
          <Descriptions.Item label="所在问题库">{me.data ? libraryLabel(d.library.regionPath, me.data.unit.region.path) : ''}</Descriptions.Item>
          {d.note && <Descriptions.Item label="情况说明">{d.note}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={9} xxl={7}>
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <HistoryCard problemId={problemId} />
            <Card title="时限" size="small">
              {(d.engine?.deadlines ?? []).length === 0 ? (
                <Empty description="移交整改后由规则算出整改期限" />
              ) : (
                <Timeline
                  items={d.engine!.deadlines.map((dl) => ({
                    color: dl.status === 'overdue' ? 'red' : dl.status === 'done' ? 'green' : 'blue',
                    content: (
                      <Space wrap>
                        <strong>{dl.label}</strong>
                        <span>到期日 {chineseDate(dl.due)}</span>
                        <Tag>{DEADLINE_STATUS[dl.status] ?? '办理中'}</Tag>
                      </Space>
                    ),
                  }))}
                />
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={15} xxl={17}>
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Card title={`办理:${d.engine?.stage.label ?? d.statusLabel}`}>
              {actions.length === 0 ? (
                <Empty description="本单位在此阶段没有可办理的操作" />
              ) : (
                <Row gutter={[16, 16]}>
                  {actions.map((a) => (
                    <Col key={a.action} xs={24} xl={12}>
                      <Card size="small" type="inner" title={a.label}>
                        <ProblemActionForm problemId={problemId} action={a} evidence={evidence.data ?? []} />
                      </Card>
                    </Col>
                  ))}
                </Row>
              )}
            </Card>
            <EvidenceCard problemId={problemId} files={evidence.data ?? []} loading={evidence.isLoading} canUpload={d.status !== 'cancelled' && d.status !== 'escalated'} />
          </Space>
        </Col>
      </Row>
      <LettersCard letters={d.letters} />
    </Space>
  );
}

interface ActionValues {
  reason?: string;
  note?: string;
  evidenceIds?: string[];
  businessDate?: string;
}

function ProblemActionForm({ problemId, action, evidence }: { problemId: string; action: NonNullable<Detail['engine']>['actions'][number]; evidence: Evidence[] }) {
  const draftKey = `problem.${problemId}.${action.action}`;
  const fields = actionFields(action.action, action.needsReason);
  const [form] = Form.useForm<ActionValues>();
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  const queries = useQueryClient();
  const { message } = App.useApp();
  const act = useMutation({
    mutationFn: async (v: ActionValues) => {
      const { data, error, response } = await api.POST('/api/problems/{id}/actions', {
        params: { path: { id: problemId } },
        body: {
          action: action.action as Schemas['ProblemAction']['action'],
          evidenceIds: v.evidenceIds ?? [],
          ...(v.reason ? { reason: v.reason } : {}),
          ...(v.note ? { note: v.note } : {}),
          ...(v.businessDate ? { businessDate: v.businessDate } : {}),
        },
      });
      if (!data) throw new ApiFailure(error?.error ?? { status: response.status, code: 'unknown', message: '办理未成功', requestId: '' });
      return data;
    },
    onSuccess: async (p) => {
      clearDraft(draftKey);
      form.resetFields();
      message.success(`已办理:${action.label}。当前状态:${p.statusLabel}`);
      queries.setQueryData(['problem', problemId], p);
      await queries.invalidateQueries({ queryKey: ['problem', problemId, 'history'] });
      await queries.invalidateQueries({ queryKey: ['problem', problemId, 'evidence'] });
      await queries.invalidateQueries({ queryKey: ['problems'] });
      await queries.invalidateQueries({ queryKey: ['inbox'] });
    },
    onError: (e) => {
      // 401: the session ended; the login page takes over and the draft stays.
      if (e instanceof ApiFailure && e.body.status === 401) return;
      setRefusal(e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' });
    },
  });
  return (
    <Form<ActionValues>
      form={form}
      layout="vertical"
      aria-label={action.label}
      initialValues={loadDraft<ActionValues>(draftKey)}
      onValuesChange={(_, all) => saveDraft(draftKey, all)}
      onFinish={(v) => {
        setRefusal(null);
        act.mutate(v);
      }}
    >
      {action.blockers.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="尚不能办理" description={action.blockers.join(';')} />}
      {fields.reason !== 'none' && (
        <Form.Item label="理由" name="reason" rules={[{ required: true, whitespace: true, message: `「${action.label}」须写明理由` }]}>
          <Input.TextArea rows={2} maxLength={2000} showCount />
        </Form.Item>
      )}
      {fields.note !== 'none' && (
        <Form.Item label="情况说明" name="note" rules={[{ required: fields.note === 'required', whitespace: true, message: `「${action.label}」须写明情况说明` }]}>
          <Input.TextArea rows={2} maxLength={2000} showCount />
        </Form.Item>
      )}
      {fields.evidence !== 'none' && (
        <Form.Item label="佐证材料" name="evidenceIds" rules={[{ required: fields.evidence === 'required', message: '验收销号须附佐证材料:请先在「佐证材料」中上传' }]}>
          <Select mode="multiple" placeholder="选择已上传的材料" options={evidence.map((e) => ({ value: e.evidenceId, label: e.filename }))} />
        </Form.Item>
      )}
      <Form.Item
        label="业务日期"
        name="businessDate"
        extra="不填为今天"
        getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
        normalize={(x?: Dayjs | null) => (x ? x.format('YYYY-MM-DD') : undefined)}
      >
        <DatePicker format="YYYY年M月D日" placeholder="今天" />
      </Form.Item>
      {refusal && <Refusal body={refusal} title="办理未成功" />}
      <Button type="primary" htmlType="submit" loading={act.isPending}>
        {action.label}
      </Button>
    </Form>
  );
}

/** 办理历程: who did what when (GET /api/problems/{id}/history), oldest first, with what changed. */
function HistoryCard({ problemId }: { problemId: string }) {
  const history = useQuery({
    queryKey: ['problem', problemId, 'history'],
    queryFn: async () => must(await api.GET('/api/problems/{id}/history', { params: { path: { id: problemId } } })).rows,
  });
  return (
    <Card title="办理历程" size="small" loading={history.isLoading}>
      {history.error ? (
        <Alert type="error" showIcon title={history.error instanceof ApiFailure ? history.error.message : '办理历程读取失败'} />
      ) : (
        <section aria-label="办理历程">
        <Timeline
          items={(history.data ?? []).map((e) => ({
            key: e.seq,
            color: historyTone(e.action),
            content: (
              <Space orientation="vertical" size={0}>
                <span>
                  <strong>{e.actionLabel}</strong> {chineseDateTime(e.at)}
                </span>
                <Typography.Text type="secondary">{historyWho(e)}</Typography.Text>
                {e.details.map((line, n) => (
                  <span key={n}>{line}</span>
                ))}
              </Space>
            ),
          }))}
        />
        </section>
      )}
    </Card>
  );
}

/** 佐证材料: the problem's files (GET /api/problems/{id}/evidence) with their download, and an upload for a unit that acts on it. */
function EvidenceCard({ problemId, files, loading, canUpload }: { problemId: string; files: Evidence[]; loading: boolean; canUpload: boolean }) {
  const [failure, setFailure] = useState<string | null>(null);
  const queries = useQueryClient();
  const { message } = App.useApp();
  const download = async (e: Evidence) => {
    try {
      await downloadProblemEvidence(problemId, e);
    } catch (err) {
      message.error(err instanceof ApiFailure ? err.message : '下载未成功');
    }
  };
  return (
    <Card title="佐证材料" size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {canUpload && (
          <Upload
            showUploadList={false}
            customRequest={async ({ file, onSuccess, onError }) => {
              setFailure(null);
              try {
                const e = await uploadProblemEvidence(problemId, file as File);
                await queries.invalidateQueries({ queryKey: ['problem', problemId, 'evidence'] });
                await queries.invalidateQueries({ queryKey: ['problem', problemId, 'history'] });
                onSuccess?.(e);
              } catch (err) {
                setFailure(err instanceof ApiFailure ? err.message : '上传未成功');
                onError?.(err as Error);
              }
            }}
          >
            <Button>上传佐证材料</Button>
          </Upload>
        )}
        {failure && <Alert type="error" showIcon title={failure} />}
        <Table<Evidence>
          rowKey="evidenceId"
          size="small"
          aria-label="问题的佐证材料"
          pagination={false}
          loading={loading}
          dataSource={files}
          locale={{ emptyText: <Empty description="尚无佐证材料;验收销号须先上传整改佐证" /> }}
          columns={[
            { title: '文件', dataIndex: 'filename' },
            { title: '大小', dataIndex: 'size', render: (n: number) => fileSize(n) },
            { title: '上传', render: (_, e) => `${e.uploadedBy.name} ${chineseDateTime(e.uploadedAt)}` },
            {
              title: '下载',
              render: (_, e) => (
                <Button size="small" onClick={() => void download(e)}>
                  下载
                </Button>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

function LettersCard({ letters }: { letters: Detail['letters'] }) {
  const { message } = App.useApp();
  const download = async (l: Detail['letters'][number], format: 'docx' | 'pdf') => {
    try {
      await downloadLetter(l.letterId, l.number, format);
    } catch (e) {
      message.error(e instanceof ApiFailure ? e.message : '下载未成功');
    }
  };
  return (
    <Card title="函件">
      <Table
        rowKey="letterId"
        size="small"
        aria-label="问题的函件"
        pagination={false}
        dataSource={letters}
        locale={{ emptyText: <Empty description="尚未发函(移交整改时发出整改意见书)" /> }}
        expandable={{ expandedRowRender: (l) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{l.body}</Typography.Paragraph> }}
        columns={[
          { title: '文种', dataIndex: 'kind', render: letterKindLabel },
          { title: '文号', dataIndex: 'number' },
          { title: '标题', dataIndex: 'subject' },
          { title: '主送', render: (_, l) => l.addressees.map((a) => a.name).join('、') },
          { title: '发文日期', dataIndex: 'issuedOn', render: chineseDate },
          { title: '时限到期日', dataIndex: 'dueDate', render: chineseDate },
          { title: '办理期限', dataIndex: 'limitDate', render: chineseDate },
          { title: '依据', dataIndex: 'ruleId', render: (r: string) => <Tag color="geekblue">{r}</Tag> },
          {
            title: '下载',
            render: (_, l) => (
              <Space>
                <Button size="small" aria-label={`${l.number} 下载 Word`} onClick={() => void download(l, 'docx')}>
                  Word
                </Button>
                <Button size="small" aria-label={`${l.number} 下载 PDF`} onClick={() => void download(l, 'pdf')}>
                  PDF
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
