import { Alert, Table, Tag, Typography } from 'antd';
import { panelRows, panelSummary, type ApiDiagnostic, type PanelRow } from './diagnostics';

interface Props {
  diagnostics: readonly ApiDiagnostic[];
  fileOrder: readonly string[];
  checking: boolean;
  /** The check could not run (the API's message). */
  failure: string | null;
  onPick(row: PanelRow): void;
}

/** The checker's diagnostics under the editor: where (文件:行:列), how bad, the code and the Chinese message. */
export function DiagnosticsPanel({ diagnostics, fileOrder, checking, failure, onPick }: Props) {
  const rows = panelRows(diagnostics, fileOrder);
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return (
    <section aria-label="检查结果">
      <Typography.Text strong>检查结果:</Typography.Text>{' '}
      <Typography.Text type={hasErrors ? 'danger' : rows.length ? 'warning' : 'success'}>{checking ? '正在检查…' : panelSummary(diagnostics)}</Typography.Text>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginTop: 8 }} />}
      {rows.length > 0 && (
        <Table<PanelRow>
          size="small"
          style={{ marginTop: 8 }}
          rowKey="key"
          pagination={false}
          dataSource={rows}
          onRow={(row) => ({ onClick: () => onPick(row), style: { cursor: 'pointer' } })}
          columns={[
            { title: '位置', dataIndex: 'where', width: 200, render: (w: string, r) => <a onClick={() => onPick(r)}>{w}</a> },
            { title: '级别', dataIndex: 'severityLabel', width: 70, render: (l: string, r) => <Tag color={r.severity === 'error' ? 'red' : 'orange'}>{l}</Tag> },
            { title: '说明', dataIndex: 'message', render: (m: string, r) => (r.hint ? `${m}(${r.hint})` : m) },
            { title: '代码', dataIndex: 'code', width: 180, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          ]}
        />
      )}
    </section>
  );
}
