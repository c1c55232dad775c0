import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, List, Modal, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { api, ApiErrorBody, ApiFailure, must, Schemas } from '../api/client';
import { saveBlob } from '../files';
import { planHref } from '../route';

/**
 * 导入年度任务清单 (a reform office; the ledger's header and 我的待办 when empty): how plans come
 * into the console. The template (`GET /api/imports/task-list/template`: a row per task, units
 * by name from drop-down lists) is filled in Excel and sent back (`POST /api/imports/task-list`,
 * the file as the body); the API checks every row first and registers all or nothing, answering
 * each bad cell as 第 N 行「列」:…, shown here as it words them.
 */
export function TaskListImport() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>导入年度任务清单…</Button>
      <Modal title="导入年度改革任务清单" open={open} footer={null} onCancel={() => setOpen(false)} destroyOnHidden width={720}>
        <TaskListImportSteps />
      </Modal>
    </>
  );
}

function TaskListImportSteps() {
  const queries = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'template' | 'import' | null>(null);
  const [result, setResult] = useState<Schemas['TaskListImportResult'] | null>(null);
  const [failure, setFailure] = useState<ApiErrorBody | null>(null);

  const template = async () => {
    setBusy('template');
    setFailure(null);
    try {
      const r = await api.GET('/api/imports/task-list/template', { parseAs: 'blob' });
      saveBlob(must(r) as unknown as Blob, r.response, '年度改革任务清单导入模板.xlsx');
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '模板下载失败,请重试', requestId: '' });
    } finally {
      setBusy(null);
    }
  };

  const upload = async (file: File) => {
    setBusy('import');
    setFailure(null);
    setResult(null);
    try {
      const done = must(
        await api.POST('/api/imports/task-list', {
          params: { query: { filename: file.name } },
          body: file as never,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': 'application/octet-stream' },
        }),
      );
      setResult(done);
      await queries.invalidateQueries({ queryKey: ['ledger'] });
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' });
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>
        第一步:下载模板,在 Excel 中每行填写一项方案(方案名称、流程、牵头单位、所属专项小组、责任领导、责任人等;单位从下拉列表中选,「说明」表解释每一列)。
      </Typography.Paragraph>
      <Button onClick={template} loading={busy === 'template'}>
        下载导入模板
      </Button>
      <Typography.Paragraph style={{ margin: 0 }}>
        第二步:上传填好的清单(.xlsx)。每一行先检查,有一处错误则不登记任何方案,并列出出错的行和列;同一文件重复上传不会重复登记。登记后的方案出现在方案台账和牵头单位的我的待办中。
      </Typography.Paragraph>
      <input
        ref={input}
        type="file"
        hidden
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-label="选择填好的年度改革任务清单"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <Button type="primary" onClick={() => input.current?.click()} loading={busy === 'import'}>
        上传清单并登记…
      </Button>
      {failure && (
        <Alert
          type="error"
          showIcon
          role="alert"
          // The API's message ends with the first issue (…;第 2 行「牵头单位」:…): with the list below, its first clause.
          title={failure.issues?.length ? failure.message.split(';')[0] : failure.message}
          description={failure.issues?.length ? <List size="small" dataSource={failure.issues} renderItem={(i) => <List.Item>{i.message}</List.Item>} /> : undefined}
        />
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          title={result.repeated ? '此文件已由您导入过,未重复登记' : `已登记 ${result.registered} 项方案`}
          description={
            <List
              size="small"
              dataSource={result.plans}
              renderItem={(p) => (
                <List.Item>
                  第 {p.row} 行:<a href={planHref(p.planId)}>{p.title}</a>
                </List.Item>
              )}
            />
          }
        />
      )}
    </Space>
  );
}
