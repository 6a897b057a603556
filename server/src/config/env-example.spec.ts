import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

const ROOT = join(__dirname, '..', '..', '..');

describe('configuration docs', () => {
  const variables = Object.keys(new AppConfig());

  it.each(variables)('.env.example documents %s', (name) => {
    expect(readFileSync(join(ROOT, '.env.example'), 'utf8')).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it.each(variables)('the README configuration table lists %s', (name) => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`| \`${name}\``);
  });
});
