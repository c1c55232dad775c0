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
