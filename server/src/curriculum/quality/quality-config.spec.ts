import { ConfigError, loadConfig } from '../../config/app-config';

describe('QUALITY_TITLE_SIMILARITY', () => {
  it('defaults to 0.9', () => {
    expect(loadConfig({}).QUALITY_TITLE_SIMILARITY).toBe(0.9);
  });

  it('takes a number from 0 to 1', () => {
    expect(loadConfig({ QUALITY_TITLE_SIMILARITY: '0.75' }).QUALITY_TITLE_SIMILARITY).toBe(0.75);
    expect(loadConfig({ QUALITY_TITLE_SIMILARITY: '1' }).QUALITY_TITLE_SIMILARITY).toBe(1);
  });

  it.each(['1.5', '-0.1', 'high'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ QUALITY_TITLE_SIMILARITY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ QUALITY_TITLE_SIMILARITY: value })).toThrow(/QUALITY_TITLE_SIMILARITY/);
  });
});
