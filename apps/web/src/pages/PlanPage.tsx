import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, List, Modal, Row, Skeleton, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, must, Schemas } from '../api/client';
import { ActionForm, ActionFormProps } from '../components/ActionForm';
import { EvidenceUpload } from '../components/EvidenceUpload';
import { LightBadge } from '../components/LightBadge';
import { chineseDate, chineseDateTime, DEADLINE_STATUS, ITEM_STATUS } from '../format';

type Detail = Schemas['PlanDetail'];
type PathStage = Detail['path'][number];

const STEP_STATUS = { passed: 'finish', current: 'process', ahead: 'wait', skipped: 'wait' } as const;

/** A plan as a guided procedure: its path, where it stands, who acts, the forms, deadlines, letters, items. */
export function PlanPage({ planId }: { planId: string }) {
  const detail = useQuery({
    queryKey: ['plan', planId],
    queryFn: async () => must(await api.GET('/api/plans/{id}', { params: { path: { id: planId } } })),
  });
  if (detail.isLoading) return <Skeleton active />;
  if (detail.error instanceof ApiFailure && detail.error.body.status === 404) {
    // The API's 404 names the plan by its id; a unit also stops seeing a plan once its part is done
    // (the legal office after its review: docs/api.md, scope), right after acting on this page.
    return (
      <Alert
        type="info"
        showIcon
        title="这项方案不在本单位的查看范围内"
        description="没有这项方案,或本单位无权查看。本单位在方案中的办理完成后(如合法合规性审查通过),方案转入其他单位办理,不再列给本单位。"
        action={<a href="#/">返回我的待办</a>}
      />
    );
  }
  if (detail.error || !detail.data) {
    return <Alert type="error" showIcon title={detail.error instanceof ApiFailure ? detail.error.message : '方案读取失败'} action={<a href="#/">返回我的待办</a>} />;
  }
  const d = detail.data;
  const current = d.path.find((s) => s.state === 'current');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {d.plan.title}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label="流程">{d.plan.procedure.title}</Descriptions.Item>
          <Descriptions.Item label="当前阶段">{d.plan.stage.label}</Descriptions.Item>
          <Descriptions.Item label="亮灯">
            <LightBadge light={d.plan.light} />
          </Descriptions.Item>
          <Descriptions.Item label="最近到期">{chineseDate(d.plan.nextDue)}</Descriptions.Item>
          <Descriptions.Item label="牵头单位">{d.plan.units.leadUnit}</Descriptions.Item>
          <Descriptions.Item label="专项小组">{d.plan.units.specialGroup}</Descriptions.Item>
          <Descriptions.Item label="责任领导">{d.plan.people.leader}</Descriptions.Item>
          <Descriptions.Item label="责任人">{d.plan.people.person}</Descriptions.Item>
          <Descriptions.Item label="本单位的角色">{d.access.roles.map((r) => r.label).join('、') || '无'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={9} xxl={7}>
          <Card title="流程路径" size="small">
            <PathSteps planId={planId} path={d.path} />
          </Card>
        </Col>
        <Col xs={24} lg={15} xxl={17}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <CurrentStage detail={d} current={current} planId={planId} />
            <Deadlines planId={planId} deadlines={d.plan.deadlines} />
            <Letters planId={planId} />
            <Items planId={planId} items={d.plan.items} canAct={d.access.act} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

/** The stages in order: passed, current, ahead; those that do not apply greyed with why; the caller's actions ahead may be tried (the engine says why not). */
function PathSteps({ planId, path }: { planId: string; path: PathStage[] }) {
  const [trying, setTrying] = useState<ActionFormProps | null>(null);
  return (
    <>
      <Steps
        direction="vertical"
        size="small"
        current={path.findIndex((s) => s.state === 'current')}
        items={path.map((s) => ({
          title: (
            <span style={s.state === 'skipped' ? { color: '#bfbfbf', textDecoration: 'line-through' } : undefined}>
              {s.label}
              {s.source && <Typography.Text type="secondary"> {s.source}</Typography.Text>}
            </span>
          ),
          status: STEP_STATUS[s.state],
          disabled: s.state === 'skipped',
          description:
            s.state === 'skipped' ? (
              <Typography.Text type="secondary">{s.notApplicable}</Typography.Text>
            ) : s.state === 'ahead' ? (
              <Space size={[4, 4]} wrap>
                {s.actions.filter((a) => a.mine).map((a) => (
                  <Button key={a.action} size="small" onClick={() => setTrying({ planId, action: a.action, label: a.label, needsReason: a.needsReason, item: a.item })}>
                    {a.label}
                  </Button>
                ))}
              </Space>
            ) : undefined,
        }))}
      />
      <Modal open={!!trying} title={trying ? `办理:${trying.label}` : ''} footer={null} onCancel={() => setTrying(null)} destroyOnHidden>
        {trying && <ActionForm {...trying} onDone={() => setTrying(null)} />}
      </Modal>
    </>
  );
}

function CurrentStage({ detail, current, planId }: { detail: Detail; current: PathStage | undefined; planId: string }) {
  const who = [...new Set((current?.actions ?? []).flatMap((a) => a.roles.map((r) => r.label)))];
  return (
    <Card title={`当前阶段:${detail.plan.stage.label}`}>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="可办理的单位">{who.join('、') || '无(流程已办结)'}</Descriptions.Item>
        <Descriptions.Item label="本阶段的操作">{(current?.actions ?? []).map((a) => `${a.label}(${a.roles.map((r) => r.label).join('、')})`).join(';') || '无'}</Descriptions.Item>
      </Descriptions>
      {detail.actions.length === 0 ? (
        <Empty description={detail.access.act ? '本单位在此阶段没有可办理的操作' : '本单位对该方案只能查看'} />
      ) : (
        <Row gutter={[16, 16]}>
          {detail.actions.map((a) => (
            <Col key={`${a.role}.${a.action}`} xs={24} xl={12}>
              {/* The title wraps (antd cuts a card title short with …): long action names stay whole at 1280 pixels. */}
              <Card size="small" type="inner" title={`${a.label}(以${a.roleLabel}身份)`} styles={{ title: { whiteSpace: 'normal' } }}>
                <ActionForm planId={planId} action={a.action} label={a.label} needsReason={a.needsReason} item={current?.actions.find((x) => x.action === a.action)?.item} blockers={a.blockers} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}

function Deadlines({ planId, deadlines }: { planId: string; deadlines: Detail['plan']['deadlines'] }) {
  const [asked, setAsked] = useState<string | null>(null);
  const why = useQuery({
    queryKey: ['why', planId, asked],
    enabled: !!asked,
    queryFn: async () => must(await api.GET('/api/plans/{id}/why', { params: { path: { id: planId }, query: { deadline: asked! } } })),
  });
  const w = why.data?.deadlines[0];
  return (
    <Card title="时限">
      {deadlines.length === 0 ? (
        <Empty description="暂无时限" />
      ) : (
        <Timeline
          items={deadlines.map((dl) => ({
            color: dl.status === 'overdue' ? 'red' : dl.status === 'done' ? 'green' : dl.status === 'cancelled' ? 'gray' : 'blue',
            content: (
              <Space wrap>
                <strong>{dl.label}</strong>
                <span>到期日 {chineseDate(dl.due)}</span>
                <Tag>{DEADLINE_STATUS[dl.status] ?? dl.status}</Tag>
                {dl.ruleId && <Tag color="geekblue">依据 {dl.ruleId}</Tag>}
                <Button size="small" type="link" onClick={() => setAsked(dl.key)}>
                  为何是这一天
                </Button>
              </Space>
            ),
          }))}
        />
      )}
      <Modal open={!!asked} title="为何是这一天" footer={null} onCancel={() => setAsked(null)}>
        {why.isLoading && <Skeleton active />}
        {why.error && <Alert type="error" showIcon title={why.error.message} />}
        {w && (
          <Space direction="vertical">
            <span>
              {w.label}:到期日 {chineseDate(w.due)}
            </span>
            <span>
              依据:{w.rule.citation}({w.rule.id})
            </span>
            <span>
              起算:{w.from.label}({chineseDate(w.from.date)})
            </span>
            <List size="small" header="计算过程" dataSource={w.explanation} renderItem={(line) => <List.Item>{line}</List.Item>} />
            {w.next && <span>下一步:{w.next.label}({chineseDateTime(w.next.at)})</span>}
          </Space>
        )}
      </Modal>
    </Card>
  );
}

/** The letters of this plan addressed or copied to the user's unit, with 签收. */
function Letters({ planId }: { planId: string }) {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: async () => must(await api.GET('/api/inbox', { params: { query: { limit: 100 } } })) });
  const rows = (inbox.data?.rows ?? []).filter((r) => r.planId === planId);
  const sign = async (letterId: string) => {
    const { data, error } = await api.POST('/api/letters/{id}/sign', { params: { path: { id: letterId } }, body: {} });
    if (data) message.success('已签收');
    else if (error) message.error(error.error.message);
    await queries.invalidateQueries({ queryKey: ['inbox'] });
  };
  return (
    <Card title="本单位收到的函件">
      <Table
        rowKey="letterId"
        size="small"
        loading={inbox.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description="暂无函件" /> }}
        columns={[
          { title: '文号', dataIndex: 'number' },
          { title: '标题', dataIndex: 'subject' },
          { title: '主送/抄送', dataIndex: 'relationLabel', width: 100 },
          { title: '发文日期', dataIndex: 'issuedOn', render: chineseDate },
          { title: '签收期限', dataIndex: 'signBy', render: (d: string, r) => <span style={r.signOverdue ? { color: '#cf1322' } : undefined}>{chineseDate(d)}</span> },
          {
            title: '签收',
            render: (_: unknown, r) =>
              r.signedAt ? (
                <span>
                  {r.signedByName ?? '已签收'} {chineseDateTime(r.signedAt)}
                </span>
              ) : (
                <Button size="small" type="primary" onClick={() => sign(r.letterId)}>
                  签收
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}

function Items({ planId, items, canAct }: { planId: string; items: Detail['plan']['items']; canAct: boolean }) {
  return (
    <Card title="具体改革事项">
      <Table
        rowKey="id"
        size="small"
        dataSource={items}
        pagination={false}
        locale={{ emptyText: <Empty description="尚未登记具体改革事项" /> }}
        columns={[
          { title: '亮灯', dataIndex: 'light', width: 100, render: (l: 'red' | 'yellow' | 'green') => <LightBadge light={l} /> },
          { title: '事项', dataIndex: 'title' },
          { title: '状态', dataIndex: 'status', width: 120, render: (s: string) => ITEM_STATUS[s] ?? s },
          ...(canAct ? [{ title: '佐证材料', key: 'evidence', width: 320, render: (_: unknown, r: Detail['plan']['items'][number]) => <EvidenceUpload planId={planId} itemId={r.id} itemTitle={r.title} /> }] : []),
        ]}
      />
    </Card>
  );
}
