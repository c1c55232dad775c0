import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, List, Select } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiErrorBody } from '../api/client';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { DATE_FORMAT, ITEM_STATUS } from '../format';
import { Refusal } from './Refusal';

type ItemStatus = 'not_started' | 'started' | 'completed';

interface ActionValues {
  reason?: string;
  /** A specific reform item (S2), for an action that registers or changes one. */
  itemId?: string;
  itemTitle?: string;
  itemStatus?: ItemStatus;
  /** YYYY-MM-DD, as the API takes it. */
  businessDate?: string;
}

export interface ActionFormProps {
  planId: string;
  action: string;
  label: string;
  needsReason: boolean;
  /** The action registers or changes a specific reform item: the form asks for it. */
  item?: boolean;
  /** Why the engine would not take it now (its own words); the user may still ask, and the engine answers. */
  blockers?: string[];
  onDone?: () => void;
}

/**
 * One action as a form: the reason where the procedure requires one, the business date (today
 * when left empty). What is typed is kept as a draft until the engine takes the action; a
 * refusal shows the engine's reasons with their rule ids.
 */
export function ActionForm({ planId, action, label, needsReason, item = false, blockers = [], onDone }: ActionFormProps) {
  const draftKey = `act.${planId}.${action}`;
  const [form] = Form.useForm<ActionValues>();
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const queries = useQueryClient();
  const { message } = App.useApp();
  const submit = async (values: ActionValues) => {
    setBusy(true);
    setRefusal(null);
    try {
      const { data, error, response } = await api.POST('/api/plans/{id}/actions', {
        params: { path: { id: planId } },
        body: {
          action,
          ...(values.reason ? { reason: values.reason } : {}),
          ...(values.businessDate ? { businessDate: values.businessDate } : {}),
          ...(item && values.itemId ? { item: { id: values.itemId, ...(values.itemTitle ? { title: values.itemTitle } : {}), ...(values.itemStatus ? { status: values.itemStatus } : {}) } } : {}),
        },
      });
      if (data) {
        clearDraft(draftKey);
        form.resetFields();
        message.success(`已办理:${label}。当前阶段:${data.stage.label}`);
        await queries.invalidateQueries({ queryKey: ['plan', planId] });
        await queries.invalidateQueries({ queryKey: ['ledger'] });
        onDone?.();
      } else if (response.status !== 401) {
        // 401: the session ended; the login page takes over and the draft stays.
        setRefusal(error?.error ?? { status: response.status, code: 'unknown', message: '办理未成功', requestId: '' });
      }
    } catch {
      setRefusal({ status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<ActionValues>
      form={form}
      layout="vertical"
      aria-label={label}
      initialValues={loadDraft<ActionValues>(draftKey)}
      onValuesChange={(_, all) => saveDraft(draftKey, all)}
      onFinish={submit}
    >
      {blockers.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="尚不能办理" description={<List size="small" dataSource={blockers} renderItem={(b) => <List.Item>{b}</List.Item>} />} />
      )}
      {needsReason && (
        <Form.Item label="理由" name="reason" rules={[{ required: true, whitespace: true, message: `「${label}」须写明理由` }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder="请写明理由" />
        </Form.Item>
      )}
      {item && (
        <>
          <Form.Item label="事项编号" name="itemId" rules={[{ required: true, whitespace: true, message: '请填写具体改革事项的编号' }]} extra="已登记的事项填其编号;新事项自拟编号并填写名称">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label="事项名称" name="itemTitle">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label="推进状态" name="itemStatus">
            <Select<ItemStatus> allowClear placeholder="不改变" options={Object.entries(ITEM_STATUS).map(([value, text]) => ({ value: value as ItemStatus, label: text }))} />
          </Form.Item>
        </>
      )}
      <Form.Item
        label="业务日期"
        name="businessDate"
        extra="实际发生的日期;不填为今天"
        getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
        normalize={(d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
      >
        <DatePicker format={DATE_FORMAT} placeholder="今天" />
      </Form.Item>
      {refusal && <Refusal body={refusal} title="办理未成功" />}
      <Button type="primary" htmlType="submit" loading={busy}>
        {label}
      </Button>
    </Form>
  );
}
