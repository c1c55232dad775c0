import { Table, Tag, Typography } from 'antd';
import type { Schemas } from '../api/client';
import { chineseDate } from '../format';
import { planHref } from '../route';
import { simulationRows, simulationSummary, type SimulationRow } from './simulation';

/** The simulation over every live plan: which letters move, with their old and new dates. */
export function SimulationTable({ simulation }: { simulation: Schemas['RulesSimulation'] }) {
  const rows = simulationRows(simulation.plans);
  return (
    <section aria-label="模拟结果">
      <Typography.Paragraph>
        {simulationSummary(simulation.plans)}(模拟到 {chineseDate(simulation.until)})。
      </Typography.Paragraph>
      <Table<SimulationRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '没有函件受影响' }}
        columns={[
          { title: '方案', dataIndex: 'plan', render: (t: string, r) => <a href={planHref(r.planId)}>{t}</a> },
          { title: '时限', dataIndex: 'deadline' },
          { title: '函件', dataIndex: 'kind', width: 100 },
          { title: '变化', dataIndex: 'change', width: 90, render: (c: string) => <Tag color={c === '改期' ? 'blue' : c === '新增' ? 'green' : 'default'}>{c}</Tag> },
          { title: '原发函日', dataIndex: 'beforeIssued', render: chineseDate },
          { title: '原截止日', dataIndex: 'beforeDue', render: chineseDate },
          { title: '新发函日', dataIndex: 'afterIssued', render: chineseDate },
          { title: '新截止日', dataIndex: 'afterDue', render: chineseDate },
          { title: '收函单位', dataIndex: 'to' },
        ]}
      />
    </section>
  );
}
