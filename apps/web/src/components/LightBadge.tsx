import { Badge, Tooltip } from 'antd';
import { LIGHT } from '../format';

/** A traffic light (亮灯) as the ledger computed it: red overdue, yellow due soon or behind, green otherwise. */
export function LightBadge({ light }: { light: keyof typeof LIGHT }) {
  const l = LIGHT[light];
  return (
    <Tooltip title={l.hint}>
      <Badge status={l.status} text={l.text} />
    </Tooltip>
  );
}
