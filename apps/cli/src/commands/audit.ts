import { AuditService, describeVerification } from '@reform/audit';
import { openDatabase } from '@reform/persistence';
import { config } from '../context';

/** `reform audit verify`: walks the audit chain; exit 1 when it is broken. */
export async function auditVerify(o: { json?: boolean }): Promise<number> {
  const db = await openDatabase(config().database);
  try {
    const result = await AuditService.on(db).verify();
    console.log(o.json ? JSON.stringify(result, null, 2) : describeVerification(result).join('\n'));
    return result.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}
