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
