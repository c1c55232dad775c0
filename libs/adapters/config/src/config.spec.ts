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
