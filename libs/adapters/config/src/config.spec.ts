import { loadConfig } from './config';

describe('loadConfig: REFORM_RULES_DIR', () => {
  it('is rules/standard under the root by default', () => {
    expect(loadConfig({}, '/srv/reform').rulesDir).toBe('/srv/reform/rules/standard');
  });

  it('resolves a relative folder against the root and keeps an absolute one', () => {
    expect(loadConfig({ REFORM_RULES_DIR: 'office/rules' }, '/srv/reform').rulesDir).toBe('/srv/reform/office/rules');
    expect(loadConfig({ REFORM_RULES_DIR: '/etc/reform/rules' }, '/srv/reform').rulesDir).toBe('/etc/reform/rules');
  });
});

describe('loadConfig: the API address', () => {
  it('listens on 127.0.0.1:3000 unless REFORM_API_HOST / REFORM_API_PORT say otherwise', () => {
    expect(loadConfig({}, '/srv/reform').api).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(loadConfig({ REFORM_API_PORT: '8080', REFORM_API_HOST: '0.0.0.0' }, '/srv/reform').api).toEqual({ host: '0.0.0.0', port: 8080 });
  });

  it('refuses a port that is not one, in Chinese', () => {
    expect(() => loadConfig({ REFORM_API_PORT: '70000' }, '/srv/reform')).toThrow('REFORM_API_PORT 应为 0–65535 的端口号');
  });
});

describe('loadConfig: the office and its documents', () => {
  it('has no seal and the default font folder unless REFORM_SEAL_IMAGE / REFORM_FONT_DIR say otherwise', () => {
    const cfg = loadConfig({}, '/srv/reform');
    expect(cfg.office).toEqual({ name: '省委全面深化改革委员会办公室', numberPrefix: '改办函' });
    expect(cfg.documents.fontDir).toBeUndefined();
  });

  it('resolves the seal image and font folder against the root', () => {
    const cfg = loadConfig({ REFORM_SEAL_IMAGE: 'office/seal.png', REFORM_FONT_DIR: '/opt/fonts', REFORM_OFFICE_NAME: '甲市委全面深化改革委员会办公室' }, '/srv/reform');
    expect(cfg.office).toEqual({ name: '甲市委全面深化改革委员会办公室', numberPrefix: '改办函', sealImage: '/srv/reform/office/seal.png' });
    expect(cfg.documents.fontDir).toBe('/opt/fonts');
  });
});

describe('loadConfig: letters reaching their units', () => {
  it('has no notification endpoint and 2 working days to sign unless REFORM_NOTIFY_URL / REFORM_SIGN_WORKING_DAYS say otherwise', () => {
    expect(loadConfig({}, '/srv/reform').letters).toEqual({ notifyUrl: undefined, signWithinWorkingDays: 2 });
    expect(loadConfig({ REFORM_NOTIFY_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', REFORM_SIGN_WORKING_DAYS: '3' }, '/srv/reform').letters).toEqual({
      notifyUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
      signWithinWorkingDays: 3,
    });
  });

  it('refuses an endpoint that is no URL and a limit that is no whole number of days, in Chinese', () => {
    expect(() => loadConfig({ REFORM_NOTIFY_URL: 'robot' }, '/srv/reform')).toThrow('REFORM_NOTIFY_URL 应为');
    expect(() => loadConfig({ REFORM_SIGN_WORKING_DAYS: '1.5' }, '/srv/reform')).toThrow('REFORM_SIGN_WORKING_DAYS 应为整数');
    expect(() => loadConfig({ REFORM_SIGN_WORKING_DAYS: '0' }, '/srv/reform')).toThrow('REFORM_SIGN_WORKING_DAYS 至少为 1');
  });
});

describe('loadConfig: the worker memory', () => {
  it('caches 500 workflows and limits the workflow heap to 128 MiB + 1 MiB per cached workflow unless told otherwise', () => {
    expect(loadConfig({}, '/srv/reform').temporal).toMatchObject({ workerCache: 500, workerHeapMb: 128 + 500 });
    expect(loadConfig({ REFORM_WORKER_CACHE: '1000' }, '/srv/reform').temporal).toMatchObject({ workerCache: 1000, workerHeapMb: 128 + 1000 });
  });

  it('takes REFORM_WORKER_HEAP_MB as given, 0 leaving the heap to V8, and no limit when nothing is cached', () => {
    expect(loadConfig({ REFORM_WORKER_HEAP_MB: '512' }, '/srv/reform').temporal.workerHeapMb).toBe(512);
    expect(loadConfig({ REFORM_WORKER_HEAP_MB: '0' }, '/srv/reform').temporal.workerHeapMb).toBe(0);
    expect(loadConfig({ REFORM_WORKER_CACHE: '0' }, '/srv/reform').temporal.workerHeapMb).toBe(0);
  });

  it('refuses a heap limit that is not a whole number, in Chinese', () => {
    expect(() => loadConfig({ REFORM_WORKER_HEAP_MB: 'lots' }, '/srv/reform')).toThrow('REFORM_WORKER_HEAP_MB 应为兆字节数(整数)');
    expect(() => loadConfig({ REFORM_WORKER_HEAP_MB: '-1' }, '/srv/reform')).toThrow('REFORM_WORKER_HEAP_MB 不能为负数');
  });
});
