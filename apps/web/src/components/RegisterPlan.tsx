import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ApiErrorBody, ApiFailure, must, Schemas } from '../api/client';
import { procedureVersionsQuery, proceduresQuery, useMe, useUnits } from '../office/data';
import { planHref } from '../route';
import { Refusal } from './Refusal';

type Unit = Schemas['Unit'];

/** The form's fields, by the name of the RegisterPlan field each fills (so an API issue's path finds its field). */
interface Values {
  procedure: string;
  title: string;
  leadUnitId?: string;
  specialGroupId?: string;
  participatingUnitIds?: string[];
  responsibleLeader: string;
  responsiblePerson: string;
  attributes?: string[];
}

/**
 * 登记方案 (the ledger's header): a unit registers a plan it leads; a reform office registers one
 * for a department of its level (牵头单位). The same POST /api/plans as the task-list import and
 * `reform plan register`: the API checks every field and the engine's rules, and its refusal is
 * shown at the field it names. Units are picked by name from the units directory: the special
 * group and the lead unit of the lead unit's level, any unit in view as a participant. One
 * X-Request-Id per dialog, so pressing again after a lost answer registers the plan once.
 */
export function RegisterPlan() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>登记方案…</Button>
      <Modal title="登记方案" open={open} footer={null} onCancel={() => setOpen(false)} destroyOnHidden width={720}>
        <RegisterPlanForm />
      </Modal>
    </>
  );
}

function RegisterPlanForm() {
  const queries = useQueryClient();
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const units = useUnits();
  const procedures = useQuery(proceduresQuery);
  const procedure = Form.useWatch('procedure', form);
  const leadUnitId = Form.useWatch('leadUnitId', form);
  const versions = useQuery({ ...procedureVersionsQuery(procedure ?? ''), enabled: !!procedure });
  const [requestId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiErrorBody | null>(null);

  const office = me.data?.unit.kind === 'reform_office';
  const all = units.data ?? [];
  const byId = new Map(all.map((u) => [u.id, u]));
  // The lead unit: the caller's own, or for a reform office the department it names.
  const lead: Unit | undefined = office ? (leadUnitId ? byId.get(leadUnitId) : undefined) : byId.get(me.data?.unit.id ?? '');
  const region = lead?.region.id ?? me.data?.unit.region?.id;
  const option = (u: Unit) => ({ value: u.id, label: u.name });
  const departments = all.filter((u) => u.kind === 'department' && u.region.id === me.data?.unit.region?.id).map(option);
  const groups = all.filter((u) => u.kind === 'special_group' && u.region.id === region).map(option);
  const participants = all.filter((u) => u.id !== lead?.id && u.kind === 'department').map(option);
  const latest = [...(versions.data?.versions ?? [])].sort((a, b) => b.version - a.version)[0];

  const submit = async (values: Values) => {
    setBusy(true);
    setFailure(null);
    try {
      const registered = must(
        await api.POST('/api/plans', {
          headers: { 'X-Request-Id': requestId },
          body: {
            procedure: values.procedure,
            title: values.title,
            ...(office && values.leadUnitId ? { leadUnitId: values.leadUnitId } : {}),
            specialGroupId: values.specialGroupId ?? '',
            participatingUnitIds: values.participatingUnitIds ?? [],
            responsibleLeader: values.responsibleLeader,
            responsiblePerson: values.responsiblePerson,
            goals: [],
            attributes: Object.fromEntries((values.attributes ?? []).map((a) => [a, true])),
            startEvents: {},
          },
        }),
      );
      await queries.invalidateQueries({ queryKey: ['ledger'] });
      window.location.hash = planHref(registered.planId);
    } catch (e) {
      const body = e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '登记未完成,请检查网络后重试(不会重复登记)', requestId: '' };
      // An issue about a field the form has is shown at that field; the rest above the buttons.
      const fields = new Set<string>(['procedure', 'title', 'leadUnitId', 'specialGroupId', 'participatingUnitIds', 'responsibleLeader', 'responsiblePerson', 'attributes']);
      const atFields = (body.issues ?? []).filter((i) => fields.has(i.path.split('.')[0]));
      if (atFields.length) form.setFields(atFields.map((i) => ({ name: i.path.split('.')[0] as keyof Values, errors: [i.message] })));
      if (!atFields.length || atFields.length < (body.issues ?? []).length) setFailure(body);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" aria-label="登记方案" initialValues={{ procedure: 'reform_plan' }} onFinish={submit}>
      <Form.Item label="流程" name="procedure" rules={[{ required: true, message: '请选择流程' }]}>
        <Select options={(procedures.data?.procedures ?? []).map((p) => ({ value: p.id, label: p.title }))} onChange={() => form.setFieldValue('attributes', [])} />
      </Form.Item>
      <Form.Item label="方案名称" name="title" rules={[{ required: true, whitespace: true, message: '请填写方案名称' }]}>
        <Input maxLength={200} placeholder="如:关于深化营商环境改革的实施方案" />
      </Form.Item>
      {office && (
        <Form.Item label="牵头单位" name="leadUnitId" rules={[{ required: true, message: '改革办代部门登记:请选择牵头单位' }]} extra="改革办代本级部门登记;部门登记时由本单位牵头">
          <Select showSearch optionFilterProp="label" options={departments} placeholder="选择本级部门" onChange={() => form.setFieldValue('specialGroupId', undefined)} />
        </Form.Item>
      )}
      <Form.Item label="所属专项小组" name="specialGroupId" rules={[{ required: true, message: '请选择所属专项小组' }]} extra="与牵头单位同级的专项小组">
        <Select showSearch optionFilterProp="label" options={groups} placeholder={office && !leadUnitId ? '先选牵头单位' : '选择专项小组'} disabled={office && !leadUnitId} />
      </Form.Item>
      <Form.Item label="参与单位" name="participatingUnitIds">
        <Select mode="multiple" showSearch optionFilterProp="label" options={participants} placeholder="可不填" />
      </Form.Item>
      <Form.Item label="责任领导" name="responsibleLeader" rules={[{ required: true, whitespace: true, message: '请填写责任领导' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item label="责任人" name="responsiblePerson" rules={[{ required: true, whitespace: true, message: '请填写责任人' }]}>
        <Input maxLength={50} />
      </Form.Item>
      {latest && latest.attributes.length > 0 && (
        <Form.Item label="方案属性" name="attributes" extra="属性决定方案要走的环节(如重大改革须经社会稳定风险评估)">
          <Checkbox.Group options={latest.attributes.map((a) => ({ value: a.id, label: a.label }))} />
        </Form.Item>
      )}
      {failure && <Refusal body={failure} title="登记未成功" />}
      <Button type="primary" htmlType="submit" loading={busy}>
        登记
      </Button>
    </Form>
  );
}
